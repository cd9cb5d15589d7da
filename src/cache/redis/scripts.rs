//! The Lua scripts of the Redis cache: each one atomic step on the server.

/// Moves the counter map to the batch key unless the batch exists (a retry),
/// then returns the batch; one atomic step.
const TAKE_COUNTS: &str = r"
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {}
end
if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
";

/// Reads a value and counts a visit when it is a live one (it starts with
/// the prefix of views), in one step.
const GET_COUNTING: &str = r"
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, #ARGV[1]) == ARGV[1] then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
return value
";

/// Replaces a value unless the key is absent or holds a tombstone (a value
/// that starts with the marker ARGV[3]; an empty marker marks nothing).
const REPLACE_UNLESS: &str = r"
local current = redis.call('GET', KEYS[1])
if current and (#ARGV[3] == 0 or string.sub(current, 1, #ARGV[3]) ~= ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
";

/// Stores a value unless the key holds a tombstone (absent counts as not).
const SET_UNLESS: &str = r"
local current = redis.call('GET', KEYS[1])
if current and #ARGV[3] > 0 and string.sub(current, 1, #ARGV[3]) == ARGV[3] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// Writes a tombstone unless Redis runs it past ARGV[3], a deadline in
/// milliseconds of Redis's own clock: a copy held in a frozen server's
/// socket, run when it resumes, writes nothing. (Scripts see the time of
/// their start; Redis replicates their effects, not the script.)
const SET_TOMBSTONE: &str = r"
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if now_ms > tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// Deletes a key that holds exactly ARGV[1] (one delete's own tombstone).
const REMOVE_IF: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
";

/// Spends a token of every bucket of a set, or of none: the steps of
/// `bucket::decide_all` (each bucket as `Rate::decide`), atomically.
/// KEYS: the buckets. ARGV: now, whether to spend (1) or only look (0), then
/// each bucket's interval and capacity in milliseconds. Returns, per bucket,
/// whether it had a token and how far ahead its horizon then is.
const TAKE_TOKENS: &str = r"
local now = tonumber(ARGV[1])
local spend = ARGV[2] == '1'
local answers = {}
local writes = {}
local all = true
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[1 + 2 * i])
  local capacity = tonumber(ARGV[2 + 2 * i])
  local horizon = tonumber(redis.call('GET', key) or '0')
  if horizon < now then
    horizon = now
  elseif horizon > now + capacity then
    horizon = now + capacity
  end
  local next = horizon + interval
  if next - now > capacity then
    all = false
    answers[#answers + 1] = 0
    answers[#answers + 1] = horizon - now
  else
    answers[#answers + 1] = 1
    answers[#answers + 1] = next - now
    writes[#writes + 1] = {key, next, capacity}
  end
end
if all and spend then
  for _, w in ipairs(writes) do
    -- As digits: a Lua number may otherwise be written in exponent form.
    redis.call('SET', w[1], string.format('%d', w[2]), 'PX', w[3])
  end
end
return answers
";

/// The Lua scripts, built (and their SHA-1 computed) once per process, not
/// per call: `EVALSHA` then sends 40 bytes instead of the script.
pub(super) struct Scripts {
    pub(super) take_counts: redis::Script,
    pub(super) get_counting: redis::Script,
    pub(super) replace_unless: redis::Script,
    pub(super) set_unless: redis::Script,
    pub(super) set_tombstone: redis::Script,
    pub(super) remove_if: redis::Script,
    pub(super) take_tokens: redis::Script,
}

impl Scripts {
    pub(super) fn new() -> Self {
        Self {
            take_counts: redis::Script::new(TAKE_COUNTS),
            get_counting: redis::Script::new(GET_COUNTING),
            replace_unless: redis::Script::new(REPLACE_UNLESS),
            set_unless: redis::Script::new(SET_UNLESS),
            set_tombstone: redis::Script::new(SET_TOMBSTONE),
            remove_if: redis::Script::new(REMOVE_IF),
            take_tokens: redis::Script::new(TAKE_TOKENS),
        }
    }
}
