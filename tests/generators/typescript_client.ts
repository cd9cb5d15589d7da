// A small program typed against what openapi-typescript generated from the
// served document (`./schema`, not edited): `tsc --strict --noEmit` must
// accept it. It builds the requests and reads the answers a client of every
// route would, so a document whose shapes break the generator's output (a
// missing field, a wrong type, a nullable that is not) fails the check.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

const create: Schemas["CreatePaste"] = {
  content: "print('hello')\n",
  title: "hello.py",
  language: "python",
  expires: "1d",
  visibility: "private",
  burn_after_read: false,
};
const anonymous: Schemas["CreatePaste"] = { content: "x", language: null, visibility: null };

type Created = paths["/api/v1/pastes"]["post"]["responses"][201]["content"]["application/json"];
type Read = paths["/api/v1/pastes/{id}"]["get"]["responses"][200]["content"]["application/json"];
type Forked = paths["/api/v1/pastes/{id}/forks"]["post"]["responses"][201]["content"]["application/json"];
type Listed = paths["/api/v1/users/{username}/pastes"]["get"]["responses"][200]["content"]["application/json"];
type Stats = paths["/api/v1/pastes/{id}/stats"]["get"]["responses"][200]["content"]["application/json"];
type LanguageList = paths["/api/v1/languages"]["get"]["responses"][200]["content"]["application/json"];
type DeleteHeaders = NonNullable<paths["/api/v1/pastes/{id}"]["delete"]["parameters"]["header"]>;
type Exchange = paths["/api/v1/tokens"]["post"]["requestBody"]["content"]["application/json"];
type Edit = paths["/api/v1/pastes/{id}"]["patch"]["requestBody"]["content"]["application/json"];
type Edited = paths["/api/v1/pastes/{id}"]["patch"]["responses"][200]["content"]["application/json"];
type History = paths["/api/v1/pastes/{id}/revisions"]["get"]["responses"][200]["content"]["application/json"];
type OneRevision = paths["/api/v1/pastes/{id}/revisions/{n}"]["get"]["responses"][200]["content"]["application/json"];

// The delete token header is optional: an owner deletes with a bearer token.
const byBearer: DeleteHeaders = {};
const byToken: DeleteHeaders = { "X-Delete-Token": "0123456789abcdef0123456789abcdef" };
const exchange: Exchange = { username: "ada", password: "correct horse battery", name: "laptop" };
// Every field of an edit is optional; `revision` is the one it was made from.
const edit: Edit = { revision: 1, content: "edited\n" };

function revisions(edited: Edited, history: History, one: OneRevision): string {
  const changes = history.revisions.map((r) => `r${r.number} +${r.lines_added} -${r.lines_removed} ${r.author ?? "anonymous"}`);
  return [String(edited.revision), ...changes, one.content].join("\n");
}

function describe(created: Created, read: Read, listed: Listed, stats: Stats, list: LanguageList, fork: Forked): string {
  const token: string = created.delete_token;
  const forkToken: string = fork.delete_token;
  const forks: number = read.fork_count;
  const origin: string = read.forked_from ? `${read.forked_from.id}${read.forked_from.deleted ? " (deleted)" : ""}` : "none";
  const shown: string = read.shown_language;
  const how: string | null | undefined = read.detected;
  const named: string | null | undefined = read.language;
  const lines = listed.pastes.map((p) => `${p.id} ${p.visibility} ${p.burn_after_read ? "burns" : "stays"}`);
  const tokens: string[] = list.languages.map((l) => `${l.token}: ${l.name} (${l.extensions.join(", ")})`);
  return [token, forkToken, String(forks), origin, shown, how ?? "named", named ?? "none", ...lines, String(stats.total_views), ...tokens].join("\n");
}

export { anonymous, byBearer, byToken, create, describe, edit, exchange, revisions };
