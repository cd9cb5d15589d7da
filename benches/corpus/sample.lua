-- A memoizing class with metatables, for the render benchmark.
local Memo = {}
Memo.__index = Memo

local function key_of(...)
  local parts = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    parts[#parts + 1] = type(v) .. ':' .. tostring(v)
  end
  return table.concat(parts, '\0')
end

function Memo.new(fn, capacity)
  assert(type(fn) == 'function', 'fn must be a function')
  return setmetatable({ fn = fn, cache = {}, size = 0, capacity = capacity or 128 }, Memo)
end

function Memo:__call(...)
  local key = key_of(...)
  local hit = self.cache[key]
  if hit ~= nil then
    return table.unpack(hit, 1, hit.n)
  end
  local result = table.pack(self.fn(...))
  if self.size >= self.capacity then
    self.cache, self.size = {}, 0 -- crude, but bounded
  end
  self.cache[key] = result
  self.size = self.size + 1
  return table.unpack(result, 1, result.n)
end

local fib
fib = Memo.new(function(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end)

for _, n in ipairs({ 10, 20, 30, 40 }) do
  print(string.format('fib(%d) = %d', n, fib(n)))
end

local words = [[
the quick brown fox
jumps over the lazy dog
]]
local count = 0
for word in words:gmatch('%a+') do count = count + 1 end
print(('words: %d, hex: 0x%X, float: %.3f'):format(count, 255, math.pi))
--[[ a block comment
     over two lines ]]
