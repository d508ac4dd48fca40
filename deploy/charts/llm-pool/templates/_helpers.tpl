{{- define "llm-pool.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "llm-pool.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "llm-pool.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "llm-pool.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "llm-pool.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "llm-pool.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The [server] table of values.config (llm-pool.toml), with the pool's defaults. */}}
{{- define "llm-pool.server" -}}
{{- $config := fromToml .Values.config -}}
{{- if hasKey $config "Error" -}}
{{- fail (printf "values.config is not valid TOML: %s" $config.Error) -}}
{{- end -}}
{{- $server := default dict $config.server -}}
{{- $listen := default "127.0.0.1:7070" $server.listen -}}
{{- if or (hasPrefix "127." $listen) (hasPrefix "[::1]" $listen) (hasPrefix "localhost" $listen) -}}
{{- fail (printf "values.config [server] listen = %q only answers inside the container; use 0.0.0.0:PORT" $listen) -}}
{{- end -}}
{{- $tls := default dict $server.tls -}}
{{- toJson (dict
      "port" (regexFind "[0-9]+$" $listen | int)
      "graceMs" (default 10000 $server.shutdown_grace_ms | int)
      "tls" (not (empty $tls))
      "clientCert" (default false $tls.require_client_cert)) -}}
{{- end -}}
