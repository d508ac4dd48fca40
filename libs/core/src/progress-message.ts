import { create } from "@bufbuild/protobuf";
import { ProgressStage, StreamProgressSchema, type StreamProgress as StreamProgressMessage } from "@llm-pool/contract";
import { candidateStatus } from "./answer-builder.js";
import type { StreamProgress } from "./infer-service.js";

const progressStage: Readonly<Record<StreamProgress["stage"], ProgressStage>> = {
  candidate: ProgressStage.CANDIDATE,
  judge: ProgressStage.JUDGE,
};

/** A streamed query's progress as the contract's StreamProgress, which every streaming edge sends (R-API-6). */
export function progressMessage(progress: StreamProgress): StreamProgressMessage {
  return create(StreamProgressSchema, {
    stage: progressStage[progress.stage],
    provider: progress.provider,
    status: candidateStatus[progress.status],
    latencyMs: Math.max(0, Math.round(progress.latencyMs)),
  });
}
