/**
 * How the Redis win-rate store keeps one (task, provider) history: a field of
 * the task's hash whose value is "wins decisions at", the decayed counts as
 * of `at` (ms on the recording replica's clock). Numbers are written with
 * "%.17g" so a double survives the round trip (Lua's tostring keeps 14
 * digits), and are returned as strings because Redis truncates Lua numbers
 * in replies to integers.
 */
export interface StoredTally {
  readonly wins: number;
  readonly decisions: number;
  readonly at: number;
}

/**
 * Records one comparison atomically: ARGV[4] says how many of the providers
 * that follow won (+1 win); the rest lost. For each, decay the stored counts to `now` exactly as
 * MemoryWinRateStore does (×0.5^(elapsed / half-life); never forward when a
 * replica's clock is behind the stored `at`), add the decision, write it
 * back, and give the key `ttl` ms to live. Returns [provider, value, ...] so
 * the writer updates its local cache without another round trip.
 */
export const RECORD_WIN_RATE_LUA = `
local now = tonumber(ARGV[1])
local half_life = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local won = tonumber(ARGV[4])
local out = {}
for i = 5, #ARGV do
  local provider = ARGV[i]
  local wins, decisions, at = 0, 0, now
  local stored = redis.call('HGET', KEYS[1], provider)
  if stored then
    local w, d, t = string.match(stored, '^(%S+) (%S+) (%S+)$')
    if w and tonumber(w) and tonumber(d) and tonumber(t) then
      wins, decisions, at = tonumber(w), tonumber(d), tonumber(t)
      if now > at then
        local factor = 0.5 ^ ((now - at) / half_life)
        wins, decisions, at = wins * factor, decisions * factor, now
      end
    end
  end
  if i < 5 + won then wins = wins + 1 end
  local value = string.format('%.17g %.17g %.17g', wins, decisions + 1, at)
  redis.call('HSET', KEYS[1], provider, value)
  out[#out + 1] = provider
  out[#out + 1] = value
end
redis.call('PEXPIRE', KEYS[1], ttl)
return out
`;

/** A stored value, or undefined when it is not one (a foreign or corrupt field is ignored, not fatal). */
export function parseTally(value: string): StoredTally | undefined {
  const parts = value.split(" ");
  if (parts.length !== 3) return undefined;
  const [wins, decisions, at] = parts.map(Number) as [number, number, number];
  if (!Number.isFinite(wins) || !Number.isFinite(decisions) || !Number.isFinite(at)) return undefined;
  if (wins < 0 || decisions < 0) return undefined;
  return { wins, decisions, at };
}

/** (wins + prior/2) / (decisions + prior) over the history decayed to `now`: MemoryWinRateStore's formula. */
export function rateOf(tally: StoredTally | undefined, now: number, halfLifeMs: number, prior: number): number {
  if (!tally) return 0.5;
  const factor = Math.pow(0.5, Math.max(0, now - tally.at) / halfLifeMs);
  return (tally.wins * factor + prior / 2) / (tally.decisions * factor + prior);
}
