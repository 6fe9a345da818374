-- One rate-limit step for one call, atomic in Redis: a GCRA reservation under the action's
-- per-second limit, after a check of its daily cap. Times are microseconds of the Redis
-- clock, so every process is measured by one clock. Runs on stock Redis and Valkey (no
-- modules); both keys share a hash tag, so Redis Cluster keeps them on one slot.
--
-- KEYS[1]  GCRA state: the theoretical arrival time (TAT) of the next unit.
-- KEYS[2]  daily counts, a hash of hour number -> units; read only when ARGV[4] > 0.
-- ARGV[1]  emission interval: microseconds per unit (1 s / limit).
-- ARGV[2]  tolerance: microseconds of burst allowed (burst size * interval).
-- ARGV[3]  units this call counts.
-- ARGV[4]  daily cap in units; 0 for none.
--
-- Returns {0, wait}: the units are reserved; send after `wait` microseconds.
--         {1, retry}: the daily cap is used up and nothing was reserved; `retry` is the wait
--                     until the call fits again, -1 when it never can.

-- Scripts that read TIME and then write must replicate their effects, not their text
-- (the default since Redis 5; a no-op on Redis 7 and Valkey, missing in future versions).
if redis.replicate_commands then
  redis.replicate_commands()
end

local HOUR = 3600000000
-- Hours of daily counts kept: the current hour and the 24 before it, so the counts cover at
-- least the last 24 hours (a call leaves the count 24 to 25 hours after it was made).
local DAY_BUCKETS = 25

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local units = tonumber(ARGV[3])
local per_day = tonumber(ARGV[4])

-- Integers as exact decimal text: Lua's default conversion keeps only 14 digits.
local function int(n)
  return string.format('%.0f', n)
end

local hour = math.floor(now / HOUR)
if per_day > 0 then
  local oldest = hour - DAY_BUCKETS + 1
  local flat = redis.call('HGETALL', KEYS[2])
  local buckets = {}
  local used = 0
  for i = 1, #flat, 2 do
    local bucket = tonumber(flat[i])
    local count = tonumber(flat[i + 1]) or 0
    if bucket == nil or bucket < oldest then
      redis.call('HDEL', KEYS[2], flat[i])
    else
      used = used + count
      table.insert(buckets, { bucket, count })
    end
  end
  if used + units > per_day then
    if units > per_day then
      return { 1, -1 }
    end
    -- The call fits once enough of the oldest hours have left the count.
    table.sort(buckets, function(a, b) return a[1] < b[1] end)
    local left = used
    for _, bucket in ipairs(buckets) do
      left = left - bucket[2]
      if left + units <= per_day then
        return { 1, (bucket[1] + DAY_BUCKETS) * HOUR - now }
      end
    end
    return { 1, -1 }
  end
end

-- GCRA as a reservation: move the TAT by the call's units and tell the caller how long to
-- wait for them, so one call needs one round trip whatever the contention.
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local new_tat = tat + units * interval
local wait = new_tat - tolerance - now
if wait < 0 then
  wait = 0
end
-- The state means nothing once the TAT has passed: let it expire then.
redis.call('SET', KEYS[1], int(new_tat), 'PX', int(math.ceil((new_tat - now) / 1000) + 1))

if per_day > 0 then
  redis.call('HINCRBY', KEYS[2], int(hour), units)
  redis.call('PEXPIRE', KEYS[2], int(DAY_BUCKETS * HOUR / 1000))
end
return { 0, wait }
