import type { TaskConfig } from "@llm-pool/config";

export interface RenderedPrompt {
  readonly system?: string;
  readonly prompt: string;
}

/**
 * Turns a query into the text an engine reads: the task's instruction as the
 * system part, the caller's prompt, and the structured input as JSON.
 */
export function renderPrompt(task: TaskConfig, prompt: string, inputJson: string | undefined): RenderedPrompt {
  const parts = [prompt.trim(), inputJson === undefined ? "" : `Input (JSON):\n${inputJson}`].filter(Boolean);
  return { ...(task.prompt ? { system: task.prompt } : {}), prompt: parts.join("\n\n") };
}
