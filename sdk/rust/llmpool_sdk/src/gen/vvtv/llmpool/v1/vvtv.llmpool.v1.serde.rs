// @generated
impl serde::Serialize for Answer {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.request_id.is_empty() {
            len += 1;
        }
        if !self.tenant_id.is_empty() {
            len += 1;
        }
        if !self.project_id.is_empty() {
            len += 1;
        }
        if self.task != 0 {
            len += 1;
        }
        if !self.output.is_empty() {
            len += 1;
        }
        if self.output_kind != 0 {
            len += 1;
        }
        if !self.winner_provider.is_empty() {
            len += 1;
        }
        if !self.winner_model.is_empty() {
            len += 1;
        }
        if self.strategy_requested != 0 {
            len += 1;
        }
        if self.strategy_applied != 0 {
            len += 1;
        }
        if self.decision.is_some() {
            len += 1;
        }
        if self.from_cache {
            len += 1;
        }
        if self.usage.is_some() {
            len += 1;
        }
        if self.total_usage.is_some() {
            len += 1;
        }
        if self.duration_ms != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.Answer", len)?;
        if !self.request_id.is_empty() {
            struct_ser.serialize_field("requestId", &self.request_id)?;
        }
        if !self.tenant_id.is_empty() {
            struct_ser.serialize_field("tenantId", &self.tenant_id)?;
        }
        if !self.project_id.is_empty() {
            struct_ser.serialize_field("projectId", &self.project_id)?;
        }
        if self.task != 0 {
            let v = Task::try_from(self.task)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.task)))?;
            struct_ser.serialize_field("task", &v)?;
        }
        if !self.output.is_empty() {
            struct_ser.serialize_field("output", &self.output)?;
        }
        if self.output_kind != 0 {
            let v = OutputKind::try_from(self.output_kind)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.output_kind)))?;
            struct_ser.serialize_field("outputKind", &v)?;
        }
        if !self.winner_provider.is_empty() {
            struct_ser.serialize_field("winnerProvider", &self.winner_provider)?;
        }
        if !self.winner_model.is_empty() {
            struct_ser.serialize_field("winnerModel", &self.winner_model)?;
        }
        if self.strategy_requested != 0 {
            let v = Strategy::try_from(self.strategy_requested)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.strategy_requested)))?;
            struct_ser.serialize_field("strategyRequested", &v)?;
        }
        if self.strategy_applied != 0 {
            let v = Strategy::try_from(self.strategy_applied)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.strategy_applied)))?;
            struct_ser.serialize_field("strategyApplied", &v)?;
        }
        if let Some(v) = self.decision.as_ref() {
            struct_ser.serialize_field("decision", v)?;
        }
        if self.from_cache {
            struct_ser.serialize_field("fromCache", &self.from_cache)?;
        }
        if let Some(v) = self.usage.as_ref() {
            struct_ser.serialize_field("usage", v)?;
        }
        if let Some(v) = self.total_usage.as_ref() {
            struct_ser.serialize_field("totalUsage", v)?;
        }
        if self.duration_ms != 0 {
            struct_ser.serialize_field("durationMs", &self.duration_ms)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for Answer {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "request_id",
            "requestId",
            "tenant_id",
            "tenantId",
            "project_id",
            "projectId",
            "task",
            "output",
            "output_kind",
            "outputKind",
            "winner_provider",
            "winnerProvider",
            "winner_model",
            "winnerModel",
            "strategy_requested",
            "strategyRequested",
            "strategy_applied",
            "strategyApplied",
            "decision",
            "from_cache",
            "fromCache",
            "usage",
            "total_usage",
            "totalUsage",
            "duration_ms",
            "durationMs",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            RequestId,
            TenantId,
            ProjectId,
            Task,
            Output,
            OutputKind,
            WinnerProvider,
            WinnerModel,
            StrategyRequested,
            StrategyApplied,
            Decision,
            FromCache,
            Usage,
            TotalUsage,
            DurationMs,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "requestId" | "request_id" => Ok(GeneratedField::RequestId),
                            "tenantId" | "tenant_id" => Ok(GeneratedField::TenantId),
                            "projectId" | "project_id" => Ok(GeneratedField::ProjectId),
                            "task" => Ok(GeneratedField::Task),
                            "output" => Ok(GeneratedField::Output),
                            "outputKind" | "output_kind" => Ok(GeneratedField::OutputKind),
                            "winnerProvider" | "winner_provider" => Ok(GeneratedField::WinnerProvider),
                            "winnerModel" | "winner_model" => Ok(GeneratedField::WinnerModel),
                            "strategyRequested" | "strategy_requested" => Ok(GeneratedField::StrategyRequested),
                            "strategyApplied" | "strategy_applied" => Ok(GeneratedField::StrategyApplied),
                            "decision" => Ok(GeneratedField::Decision),
                            "fromCache" | "from_cache" => Ok(GeneratedField::FromCache),
                            "usage" => Ok(GeneratedField::Usage),
                            "totalUsage" | "total_usage" => Ok(GeneratedField::TotalUsage),
                            "durationMs" | "duration_ms" => Ok(GeneratedField::DurationMs),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Answer;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.Answer")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<Answer, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut request_id__ = None;
                let mut tenant_id__ = None;
                let mut project_id__ = None;
                let mut task__ = None;
                let mut output__ = None;
                let mut output_kind__ = None;
                let mut winner_provider__ = None;
                let mut winner_model__ = None;
                let mut strategy_requested__ = None;
                let mut strategy_applied__ = None;
                let mut decision__ = None;
                let mut from_cache__ = None;
                let mut usage__ = None;
                let mut total_usage__ = None;
                let mut duration_ms__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::RequestId => {
                            if request_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("requestId"));
                            }
                            request_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::TenantId => {
                            if tenant_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("tenantId"));
                            }
                            tenant_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::ProjectId => {
                            if project_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("projectId"));
                            }
                            project_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Task => {
                            if task__.is_some() {
                                return Err(serde::de::Error::duplicate_field("task"));
                            }
                            task__ = Some(map_.next_value::<Task>()? as i32);
                        }
                        GeneratedField::Output => {
                            if output__.is_some() {
                                return Err(serde::de::Error::duplicate_field("output"));
                            }
                            output__ = Some(map_.next_value()?);
                        }
                        GeneratedField::OutputKind => {
                            if output_kind__.is_some() {
                                return Err(serde::de::Error::duplicate_field("outputKind"));
                            }
                            output_kind__ = Some(map_.next_value::<OutputKind>()? as i32);
                        }
                        GeneratedField::WinnerProvider => {
                            if winner_provider__.is_some() {
                                return Err(serde::de::Error::duplicate_field("winnerProvider"));
                            }
                            winner_provider__ = Some(map_.next_value()?);
                        }
                        GeneratedField::WinnerModel => {
                            if winner_model__.is_some() {
                                return Err(serde::de::Error::duplicate_field("winnerModel"));
                            }
                            winner_model__ = Some(map_.next_value()?);
                        }
                        GeneratedField::StrategyRequested => {
                            if strategy_requested__.is_some() {
                                return Err(serde::de::Error::duplicate_field("strategyRequested"));
                            }
                            strategy_requested__ = Some(map_.next_value::<Strategy>()? as i32);
                        }
                        GeneratedField::StrategyApplied => {
                            if strategy_applied__.is_some() {
                                return Err(serde::de::Error::duplicate_field("strategyApplied"));
                            }
                            strategy_applied__ = Some(map_.next_value::<Strategy>()? as i32);
                        }
                        GeneratedField::Decision => {
                            if decision__.is_some() {
                                return Err(serde::de::Error::duplicate_field("decision"));
                            }
                            decision__ = map_.next_value()?;
                        }
                        GeneratedField::FromCache => {
                            if from_cache__.is_some() {
                                return Err(serde::de::Error::duplicate_field("fromCache"));
                            }
                            from_cache__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Usage => {
                            if usage__.is_some() {
                                return Err(serde::de::Error::duplicate_field("usage"));
                            }
                            usage__ = map_.next_value()?;
                        }
                        GeneratedField::TotalUsage => {
                            if total_usage__.is_some() {
                                return Err(serde::de::Error::duplicate_field("totalUsage"));
                            }
                            total_usage__ = map_.next_value()?;
                        }
                        GeneratedField::DurationMs => {
                            if duration_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("durationMs"));
                            }
                            duration_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                    }
                }
                Ok(Answer {
                    request_id: request_id__.unwrap_or_default(),
                    tenant_id: tenant_id__.unwrap_or_default(),
                    project_id: project_id__.unwrap_or_default(),
                    task: task__.unwrap_or_default(),
                    output: output__.unwrap_or_default(),
                    output_kind: output_kind__.unwrap_or_default(),
                    winner_provider: winner_provider__.unwrap_or_default(),
                    winner_model: winner_model__.unwrap_or_default(),
                    strategy_requested: strategy_requested__.unwrap_or_default(),
                    strategy_applied: strategy_applied__.unwrap_or_default(),
                    decision: decision__,
                    from_cache: from_cache__.unwrap_or_default(),
                    usage: usage__,
                    total_usage: total_usage__,
                    duration_ms: duration_ms__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.Answer", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for Candidate {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.id.is_empty() {
            len += 1;
        }
        if !self.provider.is_empty() {
            len += 1;
        }
        if !self.model.is_empty() {
            len += 1;
        }
        if self.latency_ms != 0 {
            len += 1;
        }
        if self.status != 0 {
            len += 1;
        }
        if self.score != 0. {
            len += 1;
        }
        if !self.error.is_empty() {
            len += 1;
        }
        if self.hedged {
            len += 1;
        }
        if self.usage.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.Candidate", len)?;
        if !self.id.is_empty() {
            struct_ser.serialize_field("id", &self.id)?;
        }
        if !self.provider.is_empty() {
            struct_ser.serialize_field("provider", &self.provider)?;
        }
        if !self.model.is_empty() {
            struct_ser.serialize_field("model", &self.model)?;
        }
        if self.latency_ms != 0 {
            struct_ser.serialize_field("latencyMs", &self.latency_ms)?;
        }
        if self.status != 0 {
            let v = CandidateStatus::try_from(self.status)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.status)))?;
            struct_ser.serialize_field("status", &v)?;
        }
        if self.score != 0. {
            struct_ser.serialize_field("score", &self.score)?;
        }
        if !self.error.is_empty() {
            struct_ser.serialize_field("error", &self.error)?;
        }
        if self.hedged {
            struct_ser.serialize_field("hedged", &self.hedged)?;
        }
        if let Some(v) = self.usage.as_ref() {
            struct_ser.serialize_field("usage", v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for Candidate {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "id",
            "provider",
            "model",
            "latency_ms",
            "latencyMs",
            "status",
            "score",
            "error",
            "hedged",
            "usage",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Id,
            Provider,
            Model,
            LatencyMs,
            Status,
            Score,
            Error,
            Hedged,
            Usage,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "id" => Ok(GeneratedField::Id),
                            "provider" => Ok(GeneratedField::Provider),
                            "model" => Ok(GeneratedField::Model),
                            "latencyMs" | "latency_ms" => Ok(GeneratedField::LatencyMs),
                            "status" => Ok(GeneratedField::Status),
                            "score" => Ok(GeneratedField::Score),
                            "error" => Ok(GeneratedField::Error),
                            "hedged" => Ok(GeneratedField::Hedged),
                            "usage" => Ok(GeneratedField::Usage),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Candidate;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.Candidate")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<Candidate, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut id__ = None;
                let mut provider__ = None;
                let mut model__ = None;
                let mut latency_ms__ = None;
                let mut status__ = None;
                let mut score__ = None;
                let mut error__ = None;
                let mut hedged__ = None;
                let mut usage__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Id => {
                            if id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("id"));
                            }
                            id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Provider => {
                            if provider__.is_some() {
                                return Err(serde::de::Error::duplicate_field("provider"));
                            }
                            provider__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Model => {
                            if model__.is_some() {
                                return Err(serde::de::Error::duplicate_field("model"));
                            }
                            model__ = Some(map_.next_value()?);
                        }
                        GeneratedField::LatencyMs => {
                            if latency_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("latencyMs"));
                            }
                            latency_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Status => {
                            if status__.is_some() {
                                return Err(serde::de::Error::duplicate_field("status"));
                            }
                            status__ = Some(map_.next_value::<CandidateStatus>()? as i32);
                        }
                        GeneratedField::Score => {
                            if score__.is_some() {
                                return Err(serde::de::Error::duplicate_field("score"));
                            }
                            score__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Error => {
                            if error__.is_some() {
                                return Err(serde::de::Error::duplicate_field("error"));
                            }
                            error__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Hedged => {
                            if hedged__.is_some() {
                                return Err(serde::de::Error::duplicate_field("hedged"));
                            }
                            hedged__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Usage => {
                            if usage__.is_some() {
                                return Err(serde::de::Error::duplicate_field("usage"));
                            }
                            usage__ = map_.next_value()?;
                        }
                    }
                }
                Ok(Candidate {
                    id: id__.unwrap_or_default(),
                    provider: provider__.unwrap_or_default(),
                    model: model__.unwrap_or_default(),
                    latency_ms: latency_ms__.unwrap_or_default(),
                    status: status__.unwrap_or_default(),
                    score: score__.unwrap_or_default(),
                    error: error__.unwrap_or_default(),
                    hedged: hedged__.unwrap_or_default(),
                    usage: usage__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.Candidate", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for CandidateStatus {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "CANDIDATE_STATUS_UNSPECIFIED",
            Self::Ok => "CANDIDATE_STATUS_OK",
            Self::Error => "CANDIDATE_STATUS_ERROR",
            Self::Timeout => "CANDIDATE_STATUS_TIMEOUT",
            Self::Cancelled => "CANDIDATE_STATUS_CANCELLED",
            Self::Invalid => "CANDIDATE_STATUS_INVALID",
            Self::BreakerOpen => "CANDIDATE_STATUS_BREAKER_OPEN",
            Self::Saturated => "CANDIDATE_STATUS_SATURATED",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for CandidateStatus {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "CANDIDATE_STATUS_UNSPECIFIED",
            "CANDIDATE_STATUS_OK",
            "CANDIDATE_STATUS_ERROR",
            "CANDIDATE_STATUS_TIMEOUT",
            "CANDIDATE_STATUS_CANCELLED",
            "CANDIDATE_STATUS_INVALID",
            "CANDIDATE_STATUS_BREAKER_OPEN",
            "CANDIDATE_STATUS_SATURATED",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = CandidateStatus;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "CANDIDATE_STATUS_UNSPECIFIED" => Ok(CandidateStatus::Unspecified),
                    "CANDIDATE_STATUS_OK" => Ok(CandidateStatus::Ok),
                    "CANDIDATE_STATUS_ERROR" => Ok(CandidateStatus::Error),
                    "CANDIDATE_STATUS_TIMEOUT" => Ok(CandidateStatus::Timeout),
                    "CANDIDATE_STATUS_CANCELLED" => Ok(CandidateStatus::Cancelled),
                    "CANDIDATE_STATUS_INVALID" => Ok(CandidateStatus::Invalid),
                    "CANDIDATE_STATUS_BREAKER_OPEN" => Ok(CandidateStatus::BreakerOpen),
                    "CANDIDATE_STATUS_SATURATED" => Ok(CandidateStatus::Saturated),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for EnsembleDecision {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.candidates.is_empty() {
            len += 1;
        }
        if !self.winner_id.is_empty() {
            len += 1;
        }
        if !self.fallbacks.is_empty() {
            len += 1;
        }
        if self.judge.is_some() {
            len += 1;
        }
        if self.agreement != 0. {
            len += 1;
        }
        if self.hedges != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.EnsembleDecision", len)?;
        if !self.candidates.is_empty() {
            struct_ser.serialize_field("candidates", &self.candidates)?;
        }
        if !self.winner_id.is_empty() {
            struct_ser.serialize_field("winnerId", &self.winner_id)?;
        }
        if !self.fallbacks.is_empty() {
            struct_ser.serialize_field("fallbacks", &self.fallbacks)?;
        }
        if let Some(v) = self.judge.as_ref() {
            struct_ser.serialize_field("judge", v)?;
        }
        if self.agreement != 0. {
            struct_ser.serialize_field("agreement", &self.agreement)?;
        }
        if self.hedges != 0 {
            struct_ser.serialize_field("hedges", &self.hedges)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for EnsembleDecision {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "candidates",
            "winner_id",
            "winnerId",
            "fallbacks",
            "judge",
            "agreement",
            "hedges",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Candidates,
            WinnerId,
            Fallbacks,
            Judge,
            Agreement,
            Hedges,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "candidates" => Ok(GeneratedField::Candidates),
                            "winnerId" | "winner_id" => Ok(GeneratedField::WinnerId),
                            "fallbacks" => Ok(GeneratedField::Fallbacks),
                            "judge" => Ok(GeneratedField::Judge),
                            "agreement" => Ok(GeneratedField::Agreement),
                            "hedges" => Ok(GeneratedField::Hedges),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = EnsembleDecision;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.EnsembleDecision")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<EnsembleDecision, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut candidates__ = None;
                let mut winner_id__ = None;
                let mut fallbacks__ = None;
                let mut judge__ = None;
                let mut agreement__ = None;
                let mut hedges__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Candidates => {
                            if candidates__.is_some() {
                                return Err(serde::de::Error::duplicate_field("candidates"));
                            }
                            candidates__ = Some(map_.next_value()?);
                        }
                        GeneratedField::WinnerId => {
                            if winner_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("winnerId"));
                            }
                            winner_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Fallbacks => {
                            if fallbacks__.is_some() {
                                return Err(serde::de::Error::duplicate_field("fallbacks"));
                            }
                            fallbacks__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Judge => {
                            if judge__.is_some() {
                                return Err(serde::de::Error::duplicate_field("judge"));
                            }
                            judge__ = map_.next_value()?;
                        }
                        GeneratedField::Agreement => {
                            if agreement__.is_some() {
                                return Err(serde::de::Error::duplicate_field("agreement"));
                            }
                            agreement__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Hedges => {
                            if hedges__.is_some() {
                                return Err(serde::de::Error::duplicate_field("hedges"));
                            }
                            hedges__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                    }
                }
                Ok(EnsembleDecision {
                    candidates: candidates__.unwrap_or_default(),
                    winner_id: winner_id__.unwrap_or_default(),
                    fallbacks: fallbacks__.unwrap_or_default(),
                    judge: judge__,
                    agreement: agreement__.unwrap_or_default(),
                    hedges: hedges__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.EnsembleDecision", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for ErrorDetail {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.code.is_empty() {
            len += 1;
        }
        if !self.field.is_empty() {
            len += 1;
        }
        if !self.request_id.is_empty() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.ErrorDetail", len)?;
        if !self.code.is_empty() {
            struct_ser.serialize_field("code", &self.code)?;
        }
        if !self.field.is_empty() {
            struct_ser.serialize_field("field", &self.field)?;
        }
        if !self.request_id.is_empty() {
            struct_ser.serialize_field("requestId", &self.request_id)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for ErrorDetail {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "code",
            "field",
            "request_id",
            "requestId",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Code,
            Field,
            RequestId,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "code" => Ok(GeneratedField::Code),
                            "field" => Ok(GeneratedField::Field),
                            "requestId" | "request_id" => Ok(GeneratedField::RequestId),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = ErrorDetail;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.ErrorDetail")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<ErrorDetail, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut code__ = None;
                let mut field__ = None;
                let mut request_id__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Code => {
                            if code__.is_some() {
                                return Err(serde::de::Error::duplicate_field("code"));
                            }
                            code__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Field => {
                            if field__.is_some() {
                                return Err(serde::de::Error::duplicate_field("field"));
                            }
                            field__ = Some(map_.next_value()?);
                        }
                        GeneratedField::RequestId => {
                            if request_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("requestId"));
                            }
                            request_id__ = Some(map_.next_value()?);
                        }
                    }
                }
                Ok(ErrorDetail {
                    code: code__.unwrap_or_default(),
                    field: field__.unwrap_or_default(),
                    request_id: request_id__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.ErrorDetail", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for FallbackReason {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "FALLBACK_REASON_UNSPECIFIED",
            Self::JudgeLate => "FALLBACK_REASON_JUDGE_LATE",
            Self::VerdictUnparsable => "FALLBACK_REASON_VERDICT_UNPARSABLE",
            Self::JudgeFailed => "FALLBACK_REASON_JUDGE_FAILED",
            Self::NoQuorum => "FALLBACK_REASON_NO_QUORUM",
            Self::BelowThreshold => "FALLBACK_REASON_BELOW_THRESHOLD",
            Self::TooFewCandidates => "FALLBACK_REASON_TOO_FEW_CANDIDATES",
            Self::AllCandidatesInvalid => "FALLBACK_REASON_ALL_CANDIDATES_INVALID",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for FallbackReason {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "FALLBACK_REASON_UNSPECIFIED",
            "FALLBACK_REASON_JUDGE_LATE",
            "FALLBACK_REASON_VERDICT_UNPARSABLE",
            "FALLBACK_REASON_JUDGE_FAILED",
            "FALLBACK_REASON_NO_QUORUM",
            "FALLBACK_REASON_BELOW_THRESHOLD",
            "FALLBACK_REASON_TOO_FEW_CANDIDATES",
            "FALLBACK_REASON_ALL_CANDIDATES_INVALID",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = FallbackReason;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "FALLBACK_REASON_UNSPECIFIED" => Ok(FallbackReason::Unspecified),
                    "FALLBACK_REASON_JUDGE_LATE" => Ok(FallbackReason::JudgeLate),
                    "FALLBACK_REASON_VERDICT_UNPARSABLE" => Ok(FallbackReason::VerdictUnparsable),
                    "FALLBACK_REASON_JUDGE_FAILED" => Ok(FallbackReason::JudgeFailed),
                    "FALLBACK_REASON_NO_QUORUM" => Ok(FallbackReason::NoQuorum),
                    "FALLBACK_REASON_BELOW_THRESHOLD" => Ok(FallbackReason::BelowThreshold),
                    "FALLBACK_REASON_TOO_FEW_CANDIDATES" => Ok(FallbackReason::TooFewCandidates),
                    "FALLBACK_REASON_ALL_CANDIDATES_INVALID" => Ok(FallbackReason::AllCandidatesInvalid),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for FallbackStep {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.from != 0 {
            len += 1;
        }
        if self.to != 0 {
            len += 1;
        }
        if self.reason != 0 {
            len += 1;
        }
        if !self.detail.is_empty() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.FallbackStep", len)?;
        if self.from != 0 {
            let v = Strategy::try_from(self.from)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.from)))?;
            struct_ser.serialize_field("from", &v)?;
        }
        if self.to != 0 {
            let v = Strategy::try_from(self.to)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.to)))?;
            struct_ser.serialize_field("to", &v)?;
        }
        if self.reason != 0 {
            let v = FallbackReason::try_from(self.reason)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.reason)))?;
            struct_ser.serialize_field("reason", &v)?;
        }
        if !self.detail.is_empty() {
            struct_ser.serialize_field("detail", &self.detail)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for FallbackStep {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "from",
            "to",
            "reason",
            "detail",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            From,
            To,
            Reason,
            Detail,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "from" => Ok(GeneratedField::From),
                            "to" => Ok(GeneratedField::To),
                            "reason" => Ok(GeneratedField::Reason),
                            "detail" => Ok(GeneratedField::Detail),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = FallbackStep;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.FallbackStep")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<FallbackStep, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut from__ = None;
                let mut to__ = None;
                let mut reason__ = None;
                let mut detail__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::From => {
                            if from__.is_some() {
                                return Err(serde::de::Error::duplicate_field("from"));
                            }
                            from__ = Some(map_.next_value::<Strategy>()? as i32);
                        }
                        GeneratedField::To => {
                            if to__.is_some() {
                                return Err(serde::de::Error::duplicate_field("to"));
                            }
                            to__ = Some(map_.next_value::<Strategy>()? as i32);
                        }
                        GeneratedField::Reason => {
                            if reason__.is_some() {
                                return Err(serde::de::Error::duplicate_field("reason"));
                            }
                            reason__ = Some(map_.next_value::<FallbackReason>()? as i32);
                        }
                        GeneratedField::Detail => {
                            if detail__.is_some() {
                                return Err(serde::de::Error::duplicate_field("detail"));
                            }
                            detail__ = Some(map_.next_value()?);
                        }
                    }
                }
                Ok(FallbackStep {
                    from: from__.unwrap_or_default(),
                    to: to__.unwrap_or_default(),
                    reason: reason__.unwrap_or_default(),
                    detail: detail__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.FallbackStep", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for HealthRequest {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let len = 0;
        let struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.HealthRequest", len)?;
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for HealthRequest {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                            Err(serde::de::Error::unknown_field(value, FIELDS))
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = HealthRequest;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.HealthRequest")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<HealthRequest, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                while map_.next_key::<GeneratedField>()?.is_some() {
                    let _ = map_.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(HealthRequest {
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.HealthRequest", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for HealthResponse {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.status != 0 {
            len += 1;
        }
        if !self.providers.is_empty() {
            len += 1;
        }
        if !self.config_version.is_empty() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.HealthResponse", len)?;
        if self.status != 0 {
            let v = ServingStatus::try_from(self.status)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.status)))?;
            struct_ser.serialize_field("status", &v)?;
        }
        if !self.providers.is_empty() {
            struct_ser.serialize_field("providers", &self.providers)?;
        }
        if !self.config_version.is_empty() {
            struct_ser.serialize_field("configVersion", &self.config_version)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for HealthResponse {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "status",
            "providers",
            "config_version",
            "configVersion",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Status,
            Providers,
            ConfigVersion,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "status" => Ok(GeneratedField::Status),
                            "providers" => Ok(GeneratedField::Providers),
                            "configVersion" | "config_version" => Ok(GeneratedField::ConfigVersion),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = HealthResponse;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.HealthResponse")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<HealthResponse, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut status__ = None;
                let mut providers__ = None;
                let mut config_version__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Status => {
                            if status__.is_some() {
                                return Err(serde::de::Error::duplicate_field("status"));
                            }
                            status__ = Some(map_.next_value::<ServingStatus>()? as i32);
                        }
                        GeneratedField::Providers => {
                            if providers__.is_some() {
                                return Err(serde::de::Error::duplicate_field("providers"));
                            }
                            providers__ = Some(map_.next_value()?);
                        }
                        GeneratedField::ConfigVersion => {
                            if config_version__.is_some() {
                                return Err(serde::de::Error::duplicate_field("configVersion"));
                            }
                            config_version__ = Some(map_.next_value()?);
                        }
                    }
                }
                Ok(HealthResponse {
                    status: status__.unwrap_or_default(),
                    providers: providers__.unwrap_or_default(),
                    config_version: config_version__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.HealthResponse", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for InferRequest {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.query.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.InferRequest", len)?;
        if let Some(v) = self.query.as_ref() {
            struct_ser.serialize_field("query", v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for InferRequest {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "query",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Query,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "query" => Ok(GeneratedField::Query),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = InferRequest;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.InferRequest")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<InferRequest, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut query__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Query => {
                            if query__.is_some() {
                                return Err(serde::de::Error::duplicate_field("query"));
                            }
                            query__ = map_.next_value()?;
                        }
                    }
                }
                Ok(InferRequest {
                    query: query__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.InferRequest", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for InferResponse {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.answer.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.InferResponse", len)?;
        if let Some(v) = self.answer.as_ref() {
            struct_ser.serialize_field("answer", v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for InferResponse {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "answer",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Answer,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "answer" => Ok(GeneratedField::Answer),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = InferResponse;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.InferResponse")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<InferResponse, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut answer__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Answer => {
                            if answer__.is_some() {
                                return Err(serde::de::Error::duplicate_field("answer"));
                            }
                            answer__ = map_.next_value()?;
                        }
                    }
                }
                Ok(InferResponse {
                    answer: answer__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.InferResponse", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for InferStreamRequest {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.query.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.InferStreamRequest", len)?;
        if let Some(v) = self.query.as_ref() {
            struct_ser.serialize_field("query", v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for InferStreamRequest {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "query",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Query,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "query" => Ok(GeneratedField::Query),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = InferStreamRequest;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.InferStreamRequest")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<InferStreamRequest, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut query__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Query => {
                            if query__.is_some() {
                                return Err(serde::de::Error::duplicate_field("query"));
                            }
                            query__ = map_.next_value()?;
                        }
                    }
                }
                Ok(InferStreamRequest {
                    query: query__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.InferStreamRequest", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for InferStreamResponse {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.event.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.InferStreamResponse", len)?;
        if let Some(v) = self.event.as_ref() {
            match v {
                infer_stream_response::Event::Delta(v) => {
                    struct_ser.serialize_field("delta", v)?;
                }
                infer_stream_response::Event::Answer(v) => {
                    struct_ser.serialize_field("answer", v)?;
                }
                infer_stream_response::Event::Progress(v) => {
                    struct_ser.serialize_field("progress", v)?;
                }
            }
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for InferStreamResponse {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "delta",
            "answer",
            "progress",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Delta,
            Answer,
            Progress,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "delta" => Ok(GeneratedField::Delta),
                            "answer" => Ok(GeneratedField::Answer),
                            "progress" => Ok(GeneratedField::Progress),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = InferStreamResponse;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.InferStreamResponse")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<InferStreamResponse, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut event__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Delta => {
                            if event__.is_some() {
                                return Err(serde::de::Error::duplicate_field("delta"));
                            }
                            event__ = map_.next_value::<::std::option::Option<_>>()?.map(infer_stream_response::Event::Delta)
;
                        }
                        GeneratedField::Answer => {
                            if event__.is_some() {
                                return Err(serde::de::Error::duplicate_field("answer"));
                            }
                            event__ = map_.next_value::<::std::option::Option<_>>()?.map(infer_stream_response::Event::Answer)
;
                        }
                        GeneratedField::Progress => {
                            if event__.is_some() {
                                return Err(serde::de::Error::duplicate_field("progress"));
                            }
                            event__ = map_.next_value::<::std::option::Option<_>>()?.map(infer_stream_response::Event::Progress)
;
                        }
                    }
                }
                Ok(InferStreamResponse {
                    event: event__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.InferStreamResponse", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for JudgeVerdict {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.provider.is_empty() {
            len += 1;
        }
        if !self.model.is_empty() {
            len += 1;
        }
        if !self.winner_id.is_empty() {
            len += 1;
        }
        if self.confidence != 0. {
            len += 1;
        }
        if !self.reason.is_empty() {
            len += 1;
        }
        if self.latency_ms != 0 {
            len += 1;
        }
        if self.status != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.JudgeVerdict", len)?;
        if !self.provider.is_empty() {
            struct_ser.serialize_field("provider", &self.provider)?;
        }
        if !self.model.is_empty() {
            struct_ser.serialize_field("model", &self.model)?;
        }
        if !self.winner_id.is_empty() {
            struct_ser.serialize_field("winnerId", &self.winner_id)?;
        }
        if self.confidence != 0. {
            struct_ser.serialize_field("confidence", &self.confidence)?;
        }
        if !self.reason.is_empty() {
            struct_ser.serialize_field("reason", &self.reason)?;
        }
        if self.latency_ms != 0 {
            struct_ser.serialize_field("latencyMs", &self.latency_ms)?;
        }
        if self.status != 0 {
            let v = CandidateStatus::try_from(self.status)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.status)))?;
            struct_ser.serialize_field("status", &v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for JudgeVerdict {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "provider",
            "model",
            "winner_id",
            "winnerId",
            "confidence",
            "reason",
            "latency_ms",
            "latencyMs",
            "status",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Provider,
            Model,
            WinnerId,
            Confidence,
            Reason,
            LatencyMs,
            Status,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "provider" => Ok(GeneratedField::Provider),
                            "model" => Ok(GeneratedField::Model),
                            "winnerId" | "winner_id" => Ok(GeneratedField::WinnerId),
                            "confidence" => Ok(GeneratedField::Confidence),
                            "reason" => Ok(GeneratedField::Reason),
                            "latencyMs" | "latency_ms" => Ok(GeneratedField::LatencyMs),
                            "status" => Ok(GeneratedField::Status),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = JudgeVerdict;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.JudgeVerdict")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<JudgeVerdict, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut provider__ = None;
                let mut model__ = None;
                let mut winner_id__ = None;
                let mut confidence__ = None;
                let mut reason__ = None;
                let mut latency_ms__ = None;
                let mut status__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Provider => {
                            if provider__.is_some() {
                                return Err(serde::de::Error::duplicate_field("provider"));
                            }
                            provider__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Model => {
                            if model__.is_some() {
                                return Err(serde::de::Error::duplicate_field("model"));
                            }
                            model__ = Some(map_.next_value()?);
                        }
                        GeneratedField::WinnerId => {
                            if winner_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("winnerId"));
                            }
                            winner_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Confidence => {
                            if confidence__.is_some() {
                                return Err(serde::de::Error::duplicate_field("confidence"));
                            }
                            confidence__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Reason => {
                            if reason__.is_some() {
                                return Err(serde::de::Error::duplicate_field("reason"));
                            }
                            reason__ = Some(map_.next_value()?);
                        }
                        GeneratedField::LatencyMs => {
                            if latency_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("latencyMs"));
                            }
                            latency_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Status => {
                            if status__.is_some() {
                                return Err(serde::de::Error::duplicate_field("status"));
                            }
                            status__ = Some(map_.next_value::<CandidateStatus>()? as i32);
                        }
                    }
                }
                Ok(JudgeVerdict {
                    provider: provider__.unwrap_or_default(),
                    model: model__.unwrap_or_default(),
                    winner_id: winner_id__.unwrap_or_default(),
                    confidence: confidence__.unwrap_or_default(),
                    reason: reason__.unwrap_or_default(),
                    latency_ms: latency_ms__.unwrap_or_default(),
                    status: status__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.JudgeVerdict", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for OutputFormat {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.kind != 0 {
            len += 1;
        }
        if !self.json_schema.is_empty() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.OutputFormat", len)?;
        if self.kind != 0 {
            let v = OutputKind::try_from(self.kind)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.kind)))?;
            struct_ser.serialize_field("kind", &v)?;
        }
        if !self.json_schema.is_empty() {
            struct_ser.serialize_field("jsonSchema", &self.json_schema)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for OutputFormat {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "kind",
            "json_schema",
            "jsonSchema",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Kind,
            JsonSchema,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "kind" => Ok(GeneratedField::Kind),
                            "jsonSchema" | "json_schema" => Ok(GeneratedField::JsonSchema),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = OutputFormat;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.OutputFormat")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<OutputFormat, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut kind__ = None;
                let mut json_schema__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Kind => {
                            if kind__.is_some() {
                                return Err(serde::de::Error::duplicate_field("kind"));
                            }
                            kind__ = Some(map_.next_value::<OutputKind>()? as i32);
                        }
                        GeneratedField::JsonSchema => {
                            if json_schema__.is_some() {
                                return Err(serde::de::Error::duplicate_field("jsonSchema"));
                            }
                            json_schema__ = Some(map_.next_value()?);
                        }
                    }
                }
                Ok(OutputFormat {
                    kind: kind__.unwrap_or_default(),
                    json_schema: json_schema__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.OutputFormat", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for OutputKind {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "OUTPUT_KIND_UNSPECIFIED",
            Self::Text => "OUTPUT_KIND_TEXT",
            Self::Json => "OUTPUT_KIND_JSON",
            Self::JsonSchema => "OUTPUT_KIND_JSON_SCHEMA",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for OutputKind {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "OUTPUT_KIND_UNSPECIFIED",
            "OUTPUT_KIND_TEXT",
            "OUTPUT_KIND_JSON",
            "OUTPUT_KIND_JSON_SCHEMA",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = OutputKind;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "OUTPUT_KIND_UNSPECIFIED" => Ok(OutputKind::Unspecified),
                    "OUTPUT_KIND_TEXT" => Ok(OutputKind::Text),
                    "OUTPUT_KIND_JSON" => Ok(OutputKind::Json),
                    "OUTPUT_KIND_JSON_SCHEMA" => Ok(OutputKind::JsonSchema),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for ProgressStage {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "PROGRESS_STAGE_UNSPECIFIED",
            Self::Candidate => "PROGRESS_STAGE_CANDIDATE",
            Self::Judge => "PROGRESS_STAGE_JUDGE",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for ProgressStage {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "PROGRESS_STAGE_UNSPECIFIED",
            "PROGRESS_STAGE_CANDIDATE",
            "PROGRESS_STAGE_JUDGE",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = ProgressStage;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "PROGRESS_STAGE_UNSPECIFIED" => Ok(ProgressStage::Unspecified),
                    "PROGRESS_STAGE_CANDIDATE" => Ok(ProgressStage::Candidate),
                    "PROGRESS_STAGE_JUDGE" => Ok(ProgressStage::Judge),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for ProviderHealth {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.name.is_empty() {
            len += 1;
        }
        if !self.driver.is_empty() {
            len += 1;
        }
        if !self.model.is_empty() {
            len += 1;
        }
        if self.state != 0 {
            len += 1;
        }
        if !self.last_error.is_empty() {
            len += 1;
        }
        if self.updated_unix_ms != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.ProviderHealth", len)?;
        if !self.name.is_empty() {
            struct_ser.serialize_field("name", &self.name)?;
        }
        if !self.driver.is_empty() {
            struct_ser.serialize_field("driver", &self.driver)?;
        }
        if !self.model.is_empty() {
            struct_ser.serialize_field("model", &self.model)?;
        }
        if self.state != 0 {
            let v = ProviderState::try_from(self.state)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.state)))?;
            struct_ser.serialize_field("state", &v)?;
        }
        if !self.last_error.is_empty() {
            struct_ser.serialize_field("lastError", &self.last_error)?;
        }
        if self.updated_unix_ms != 0 {
            #[allow(clippy::needless_borrow)]
            #[allow(clippy::needless_borrows_for_generic_args)]
            struct_ser.serialize_field("updatedUnixMs", ToString::to_string(&self.updated_unix_ms).as_str())?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for ProviderHealth {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "name",
            "driver",
            "model",
            "state",
            "last_error",
            "lastError",
            "updated_unix_ms",
            "updatedUnixMs",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Name,
            Driver,
            Model,
            State,
            LastError,
            UpdatedUnixMs,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "name" => Ok(GeneratedField::Name),
                            "driver" => Ok(GeneratedField::Driver),
                            "model" => Ok(GeneratedField::Model),
                            "state" => Ok(GeneratedField::State),
                            "lastError" | "last_error" => Ok(GeneratedField::LastError),
                            "updatedUnixMs" | "updated_unix_ms" => Ok(GeneratedField::UpdatedUnixMs),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = ProviderHealth;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.ProviderHealth")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<ProviderHealth, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut name__ = None;
                let mut driver__ = None;
                let mut model__ = None;
                let mut state__ = None;
                let mut last_error__ = None;
                let mut updated_unix_ms__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Name => {
                            if name__.is_some() {
                                return Err(serde::de::Error::duplicate_field("name"));
                            }
                            name__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Driver => {
                            if driver__.is_some() {
                                return Err(serde::de::Error::duplicate_field("driver"));
                            }
                            driver__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Model => {
                            if model__.is_some() {
                                return Err(serde::de::Error::duplicate_field("model"));
                            }
                            model__ = Some(map_.next_value()?);
                        }
                        GeneratedField::State => {
                            if state__.is_some() {
                                return Err(serde::de::Error::duplicate_field("state"));
                            }
                            state__ = Some(map_.next_value::<ProviderState>()? as i32);
                        }
                        GeneratedField::LastError => {
                            if last_error__.is_some() {
                                return Err(serde::de::Error::duplicate_field("lastError"));
                            }
                            last_error__ = Some(map_.next_value()?);
                        }
                        GeneratedField::UpdatedUnixMs => {
                            if updated_unix_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("updatedUnixMs"));
                            }
                            updated_unix_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                    }
                }
                Ok(ProviderHealth {
                    name: name__.unwrap_or_default(),
                    driver: driver__.unwrap_or_default(),
                    model: model__.unwrap_or_default(),
                    state: state__.unwrap_or_default(),
                    last_error: last_error__.unwrap_or_default(),
                    updated_unix_ms: updated_unix_ms__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.ProviderHealth", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for ProviderState {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "PROVIDER_STATE_UNSPECIFIED",
            Self::Healthy => "PROVIDER_STATE_HEALTHY",
            Self::Degraded => "PROVIDER_STATE_DEGRADED",
            Self::Unhealthy => "PROVIDER_STATE_UNHEALTHY",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for ProviderState {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "PROVIDER_STATE_UNSPECIFIED",
            "PROVIDER_STATE_HEALTHY",
            "PROVIDER_STATE_DEGRADED",
            "PROVIDER_STATE_UNHEALTHY",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = ProviderState;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "PROVIDER_STATE_UNSPECIFIED" => Ok(ProviderState::Unspecified),
                    "PROVIDER_STATE_HEALTHY" => Ok(ProviderState::Healthy),
                    "PROVIDER_STATE_DEGRADED" => Ok(ProviderState::Degraded),
                    "PROVIDER_STATE_UNHEALTHY" => Ok(ProviderState::Unhealthy),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for Query {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.request_id.is_empty() {
            len += 1;
        }
        if !self.tenant_id.is_empty() {
            len += 1;
        }
        if !self.project_id.is_empty() {
            len += 1;
        }
        if self.task != 0 {
            len += 1;
        }
        if self.strategy != 0 {
            len += 1;
        }
        if !self.prompt.is_empty() {
            len += 1;
        }
        if self.input.is_some() {
            len += 1;
        }
        if self.max_tokens != 0 {
            len += 1;
        }
        if self.deadline_ms != 0 {
            len += 1;
        }
        if !self.meta.is_empty() {
            len += 1;
        }
        if self.output.is_some() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.Query", len)?;
        if !self.request_id.is_empty() {
            struct_ser.serialize_field("requestId", &self.request_id)?;
        }
        if !self.tenant_id.is_empty() {
            struct_ser.serialize_field("tenantId", &self.tenant_id)?;
        }
        if !self.project_id.is_empty() {
            struct_ser.serialize_field("projectId", &self.project_id)?;
        }
        if self.task != 0 {
            let v = Task::try_from(self.task)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.task)))?;
            struct_ser.serialize_field("task", &v)?;
        }
        if self.strategy != 0 {
            let v = Strategy::try_from(self.strategy)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.strategy)))?;
            struct_ser.serialize_field("strategy", &v)?;
        }
        if !self.prompt.is_empty() {
            struct_ser.serialize_field("prompt", &self.prompt)?;
        }
        if let Some(v) = self.input.as_ref() {
            struct_ser.serialize_field("input", v)?;
        }
        if self.max_tokens != 0 {
            struct_ser.serialize_field("maxTokens", &self.max_tokens)?;
        }
        if self.deadline_ms != 0 {
            struct_ser.serialize_field("deadlineMs", &self.deadline_ms)?;
        }
        if !self.meta.is_empty() {
            struct_ser.serialize_field("meta", &self.meta)?;
        }
        if let Some(v) = self.output.as_ref() {
            struct_ser.serialize_field("output", v)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for Query {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "request_id",
            "requestId",
            "tenant_id",
            "tenantId",
            "project_id",
            "projectId",
            "task",
            "strategy",
            "prompt",
            "input",
            "max_tokens",
            "maxTokens",
            "deadline_ms",
            "deadlineMs",
            "meta",
            "output",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            RequestId,
            TenantId,
            ProjectId,
            Task,
            Strategy,
            Prompt,
            Input,
            MaxTokens,
            DeadlineMs,
            Meta,
            Output,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "requestId" | "request_id" => Ok(GeneratedField::RequestId),
                            "tenantId" | "tenant_id" => Ok(GeneratedField::TenantId),
                            "projectId" | "project_id" => Ok(GeneratedField::ProjectId),
                            "task" => Ok(GeneratedField::Task),
                            "strategy" => Ok(GeneratedField::Strategy),
                            "prompt" => Ok(GeneratedField::Prompt),
                            "input" => Ok(GeneratedField::Input),
                            "maxTokens" | "max_tokens" => Ok(GeneratedField::MaxTokens),
                            "deadlineMs" | "deadline_ms" => Ok(GeneratedField::DeadlineMs),
                            "meta" => Ok(GeneratedField::Meta),
                            "output" => Ok(GeneratedField::Output),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Query;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.Query")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<Query, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut request_id__ = None;
                let mut tenant_id__ = None;
                let mut project_id__ = None;
                let mut task__ = None;
                let mut strategy__ = None;
                let mut prompt__ = None;
                let mut input__ = None;
                let mut max_tokens__ = None;
                let mut deadline_ms__ = None;
                let mut meta__ = None;
                let mut output__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::RequestId => {
                            if request_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("requestId"));
                            }
                            request_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::TenantId => {
                            if tenant_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("tenantId"));
                            }
                            tenant_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::ProjectId => {
                            if project_id__.is_some() {
                                return Err(serde::de::Error::duplicate_field("projectId"));
                            }
                            project_id__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Task => {
                            if task__.is_some() {
                                return Err(serde::de::Error::duplicate_field("task"));
                            }
                            task__ = Some(map_.next_value::<Task>()? as i32);
                        }
                        GeneratedField::Strategy => {
                            if strategy__.is_some() {
                                return Err(serde::de::Error::duplicate_field("strategy"));
                            }
                            strategy__ = Some(map_.next_value::<Strategy>()? as i32);
                        }
                        GeneratedField::Prompt => {
                            if prompt__.is_some() {
                                return Err(serde::de::Error::duplicate_field("prompt"));
                            }
                            prompt__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Input => {
                            if input__.is_some() {
                                return Err(serde::de::Error::duplicate_field("input"));
                            }
                            input__ = map_.next_value()?;
                        }
                        GeneratedField::MaxTokens => {
                            if max_tokens__.is_some() {
                                return Err(serde::de::Error::duplicate_field("maxTokens"));
                            }
                            max_tokens__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::DeadlineMs => {
                            if deadline_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("deadlineMs"));
                            }
                            deadline_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::Meta => {
                            if meta__.is_some() {
                                return Err(serde::de::Error::duplicate_field("meta"));
                            }
                            meta__ = Some(
                                map_.next_value::<std::collections::BTreeMap<_, _>>()?
                            );
                        }
                        GeneratedField::Output => {
                            if output__.is_some() {
                                return Err(serde::de::Error::duplicate_field("output"));
                            }
                            output__ = map_.next_value()?;
                        }
                    }
                }
                Ok(Query {
                    request_id: request_id__.unwrap_or_default(),
                    tenant_id: tenant_id__.unwrap_or_default(),
                    project_id: project_id__.unwrap_or_default(),
                    task: task__.unwrap_or_default(),
                    strategy: strategy__.unwrap_or_default(),
                    prompt: prompt__.unwrap_or_default(),
                    input: input__,
                    max_tokens: max_tokens__.unwrap_or_default(),
                    deadline_ms: deadline_ms__.unwrap_or_default(),
                    meta: meta__.unwrap_or_default(),
                    output: output__,
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.Query", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for ServingStatus {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "SERVING_STATUS_UNSPECIFIED",
            Self::Serving => "SERVING_STATUS_SERVING",
            Self::NotServing => "SERVING_STATUS_NOT_SERVING",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for ServingStatus {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "SERVING_STATUS_UNSPECIFIED",
            "SERVING_STATUS_SERVING",
            "SERVING_STATUS_NOT_SERVING",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = ServingStatus;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "SERVING_STATUS_UNSPECIFIED" => Ok(ServingStatus::Unspecified),
                    "SERVING_STATUS_SERVING" => Ok(ServingStatus::Serving),
                    "SERVING_STATUS_NOT_SERVING" => Ok(ServingStatus::NotServing),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for Strategy {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "STRATEGY_UNSPECIFIED",
            Self::Fastest => "STRATEGY_FASTEST",
            Self::Voting => "STRATEGY_VOTING",
            Self::Consensus => "STRATEGY_CONSENSUS",
            Self::Weighted => "STRATEGY_WEIGHTED",
            Self::Judge => "STRATEGY_JUDGE",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for Strategy {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "STRATEGY_UNSPECIFIED",
            "STRATEGY_FASTEST",
            "STRATEGY_VOTING",
            "STRATEGY_CONSENSUS",
            "STRATEGY_WEIGHTED",
            "STRATEGY_JUDGE",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Strategy;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "STRATEGY_UNSPECIFIED" => Ok(Strategy::Unspecified),
                    "STRATEGY_FASTEST" => Ok(Strategy::Fastest),
                    "STRATEGY_VOTING" => Ok(Strategy::Voting),
                    "STRATEGY_CONSENSUS" => Ok(Strategy::Consensus),
                    "STRATEGY_WEIGHTED" => Ok(Strategy::Weighted),
                    "STRATEGY_JUDGE" => Ok(Strategy::Judge),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for StreamProgress {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.stage != 0 {
            len += 1;
        }
        if !self.provider.is_empty() {
            len += 1;
        }
        if self.status != 0 {
            len += 1;
        }
        if self.latency_ms != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.StreamProgress", len)?;
        if self.stage != 0 {
            let v = ProgressStage::try_from(self.stage)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.stage)))?;
            struct_ser.serialize_field("stage", &v)?;
        }
        if !self.provider.is_empty() {
            struct_ser.serialize_field("provider", &self.provider)?;
        }
        if self.status != 0 {
            let v = CandidateStatus::try_from(self.status)
                .map_err(|_| serde::ser::Error::custom(format!("Invalid variant {}", self.status)))?;
            struct_ser.serialize_field("status", &v)?;
        }
        if self.latency_ms != 0 {
            struct_ser.serialize_field("latencyMs", &self.latency_ms)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for StreamProgress {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "stage",
            "provider",
            "status",
            "latency_ms",
            "latencyMs",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Stage,
            Provider,
            Status,
            LatencyMs,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "stage" => Ok(GeneratedField::Stage),
                            "provider" => Ok(GeneratedField::Provider),
                            "status" => Ok(GeneratedField::Status),
                            "latencyMs" | "latency_ms" => Ok(GeneratedField::LatencyMs),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = StreamProgress;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.StreamProgress")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<StreamProgress, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut stage__ = None;
                let mut provider__ = None;
                let mut status__ = None;
                let mut latency_ms__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Stage => {
                            if stage__.is_some() {
                                return Err(serde::de::Error::duplicate_field("stage"));
                            }
                            stage__ = Some(map_.next_value::<ProgressStage>()? as i32);
                        }
                        GeneratedField::Provider => {
                            if provider__.is_some() {
                                return Err(serde::de::Error::duplicate_field("provider"));
                            }
                            provider__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Status => {
                            if status__.is_some() {
                                return Err(serde::de::Error::duplicate_field("status"));
                            }
                            status__ = Some(map_.next_value::<CandidateStatus>()? as i32);
                        }
                        GeneratedField::LatencyMs => {
                            if latency_ms__.is_some() {
                                return Err(serde::de::Error::duplicate_field("latencyMs"));
                            }
                            latency_ms__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                    }
                }
                Ok(StreamProgress {
                    stage: stage__.unwrap_or_default(),
                    provider: provider__.unwrap_or_default(),
                    status: status__.unwrap_or_default(),
                    latency_ms: latency_ms__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.StreamProgress", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for Task {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        let variant = match self {
            Self::Unspecified => "TASK_UNSPECIFIED",
            Self::ExpandQueries => "TASK_EXPAND_QUERIES",
            Self::SiteTactics => "TASK_SITE_TACTICS",
            Self::RerankCandidates => "TASK_RERANK_CANDIDATES",
            Self::Judge => "TASK_JUDGE",
            Self::RecoveryPlan => "TASK_RECOVERY_PLAN",
            Self::EnrichMetadata => "TASK_ENRICH_METADATA",
        };
        serializer.serialize_str(variant)
    }
}
impl<'de> serde::Deserialize<'de> for Task {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "TASK_UNSPECIFIED",
            "TASK_EXPAND_QUERIES",
            "TASK_SITE_TACTICS",
            "TASK_RERANK_CANDIDATES",
            "TASK_JUDGE",
            "TASK_RECOVERY_PLAN",
            "TASK_ENRICH_METADATA",
        ];

        struct GeneratedVisitor;

        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Task;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "expected one of: {:?}", &FIELDS)
            }

            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Signed(v), &self)
                    })
            }

            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                i32::try_from(v)
                    .ok()
                    .and_then(|x| x.try_into().ok())
                    .ok_or_else(|| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(v), &self)
                    })
            }

            fn visit_str<E>(self, value: &str) -> std::result::Result<Self::Value, E>
            where
                E: serde::de::Error,
            {
                match value {
                    "TASK_UNSPECIFIED" => Ok(Task::Unspecified),
                    "TASK_EXPAND_QUERIES" => Ok(Task::ExpandQueries),
                    "TASK_SITE_TACTICS" => Ok(Task::SiteTactics),
                    "TASK_RERANK_CANDIDATES" => Ok(Task::RerankCandidates),
                    "TASK_JUDGE" => Ok(Task::Judge),
                    "TASK_RECOVERY_PLAN" => Ok(Task::RecoveryPlan),
                    "TASK_ENRICH_METADATA" => Ok(Task::EnrichMetadata),
                    _ => Err(serde::de::Error::unknown_variant(value, FIELDS)),
                }
            }
        }
        deserializer.deserialize_any(GeneratedVisitor)
    }
}
impl serde::Serialize for TextDelta {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if !self.provider.is_empty() {
            len += 1;
        }
        if !self.text.is_empty() {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.TextDelta", len)?;
        if !self.provider.is_empty() {
            struct_ser.serialize_field("provider", &self.provider)?;
        }
        if !self.text.is_empty() {
            struct_ser.serialize_field("text", &self.text)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for TextDelta {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "provider",
            "text",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            Provider,
            Text,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "provider" => Ok(GeneratedField::Provider),
                            "text" => Ok(GeneratedField::Text),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = TextDelta;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.TextDelta")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<TextDelta, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut provider__ = None;
                let mut text__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::Provider => {
                            if provider__.is_some() {
                                return Err(serde::de::Error::duplicate_field("provider"));
                            }
                            provider__ = Some(map_.next_value()?);
                        }
                        GeneratedField::Text => {
                            if text__.is_some() {
                                return Err(serde::de::Error::duplicate_field("text"));
                            }
                            text__ = Some(map_.next_value()?);
                        }
                    }
                }
                Ok(TextDelta {
                    provider: provider__.unwrap_or_default(),
                    text: text__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.TextDelta", FIELDS, GeneratedVisitor)
    }
}
impl serde::Serialize for Usage {
    #[allow(deprecated)]
    fn serialize<S>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        use serde::ser::SerializeStruct;
        let mut len = 0;
        if self.prompt_tokens != 0 {
            len += 1;
        }
        if self.completion_tokens != 0 {
            len += 1;
        }
        let mut struct_ser = serializer.serialize_struct("vvtv.llmpool.v1.Usage", len)?;
        if self.prompt_tokens != 0 {
            struct_ser.serialize_field("promptTokens", &self.prompt_tokens)?;
        }
        if self.completion_tokens != 0 {
            struct_ser.serialize_field("completionTokens", &self.completion_tokens)?;
        }
        struct_ser.end()
    }
}
impl<'de> serde::Deserialize<'de> for Usage {
    #[allow(deprecated)]
    fn deserialize<D>(deserializer: D) -> std::result::Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        const FIELDS: &[&str] = &[
            "prompt_tokens",
            "promptTokens",
            "completion_tokens",
            "completionTokens",
        ];

        #[allow(clippy::enum_variant_names)]
        enum GeneratedField {
            PromptTokens,
            CompletionTokens,
        }
        impl<'de> serde::Deserialize<'de> for GeneratedField {
            fn deserialize<D>(deserializer: D) -> std::result::Result<GeneratedField, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct GeneratedVisitor;

                impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
                    type Value = GeneratedField;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(formatter, "expected one of: {:?}", &FIELDS)
                    }

                    #[allow(unused_variables)]
                    fn visit_str<E>(self, value: &str) -> std::result::Result<GeneratedField, E>
                    where
                        E: serde::de::Error,
                    {
                        match value {
                            "promptTokens" | "prompt_tokens" => Ok(GeneratedField::PromptTokens),
                            "completionTokens" | "completion_tokens" => Ok(GeneratedField::CompletionTokens),
                            _ => Err(serde::de::Error::unknown_field(value, FIELDS)),
                        }
                    }
                }
                deserializer.deserialize_identifier(GeneratedVisitor)
            }
        }
        struct GeneratedVisitor;
        impl<'de> serde::de::Visitor<'de> for GeneratedVisitor {
            type Value = Usage;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("struct vvtv.llmpool.v1.Usage")
            }

            fn visit_map<V>(self, mut map_: V) -> std::result::Result<Usage, V::Error>
                where
                    V: serde::de::MapAccess<'de>,
            {
                let mut prompt_tokens__ = None;
                let mut completion_tokens__ = None;
                while let Some(k) = map_.next_key()? {
                    match k {
                        GeneratedField::PromptTokens => {
                            if prompt_tokens__.is_some() {
                                return Err(serde::de::Error::duplicate_field("promptTokens"));
                            }
                            prompt_tokens__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                        GeneratedField::CompletionTokens => {
                            if completion_tokens__.is_some() {
                                return Err(serde::de::Error::duplicate_field("completionTokens"));
                            }
                            completion_tokens__ = 
                                Some(map_.next_value::<::pbjson::private::NumberDeserialize<_>>()?.0)
                            ;
                        }
                    }
                }
                Ok(Usage {
                    prompt_tokens: prompt_tokens__.unwrap_or_default(),
                    completion_tokens: completion_tokens__.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_struct("vvtv.llmpool.v1.Usage", FIELDS, GeneratedVisitor)
    }
}
