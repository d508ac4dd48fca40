import { invalidArgument } from "@llm-pool/core";
import { isJsonObject } from "./json-body.js";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

/**
 * The prompt of a chat (OpenAI or Ollama messages). The task's own
 * instruction stays the system part of the engine call, so the messages
 * become its prompt: a single user message is the prompt as it is; any other
 * conversation is written out turn by turn ("System: …", "User: …",
 * "Assistant: …"), blank lines between. Content is a string, or (OpenAI)
 * a list of parts of which only text parts are accepted.
 */
export function chatTranscript(messages: unknown, field = "messages"): string {
  if (!Array.isArray(messages) || messages.length === 0) throw invalidArgument(field, "must be a non-empty list of {role, content}");
  const turns = messages.map((message: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isJsonObject(message)) throw invalidArgument(at, "must be an object {role, content}");
    const role = message["role"];
    if (typeof role !== "string" || !ROLES.has(role)) throw invalidArgument(`${at}.role`, "must be system, developer, user, assistant or tool");
    return { role, text: contentText(message["content"], `${at}.content`) };
  });
  if (turns.length === 1 && turns[0]!.role === "user") return turns[0]!.text;
  return turns.map(({ role, text }) => `${role[0]!.toUpperCase()}${role.slice(1)}: ${text}`).join("\n\n");
}

function contentText(content: unknown, field: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw invalidArgument(field, "must be a string or a list of text parts");
  return content
    .map((part: unknown, i) => {
      if (!isJsonObject(part) || part["type"] !== "text" || typeof part["text"] !== "string") {
        throw invalidArgument(`${field}[${i}]`, "only text parts {type: \"text\", text} are accepted (no images or audio)");
      }
      return part["text"];
    })
    .join("");
}
