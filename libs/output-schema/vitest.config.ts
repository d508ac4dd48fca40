import { workspaceSource } from "../../vitest.shared.js";

export default workspaceSource;
