// Must NOT type-check: proves tsc reads the generated types (a language that
// is not a token, a number for a string, a number for a file's `content`).
import type { components } from "./schema";

type CreatePaste = components["schemas"]["CreatePaste"];

const unknown: CreatePaste = { content: "x", language: "klingon" };
const numbered: CreatePaste = { content: "x", title: 1 };
const empty: CreatePaste = { files: [{ name: "a.rs", content: 1 }] };

export { empty, numbered, unknown };
