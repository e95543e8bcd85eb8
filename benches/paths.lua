-- wrk script: GETs the paths listed in the file $PATH_LIST (one per line) in turn, asking for
-- gzip as a browser does. Used by benches/load.sh and benches/peers.sh. Each thread starts at
-- its own place in the list (the first at the top, the second halfway down...), so that the
-- threads do not ask for the same path at the same moment (a server that builds a tile once
-- for all who wait on it would otherwise build half the tiles).
local paths = {}
for line in io.lines(os.getenv("PATH_LIST")) do paths[#paths + 1] = line end
local threads = 0
setup = function(thread)
  thread:set("number", threads)
  threads = threads + 1
end
i = 0
init = function(args)
  -- 0.618...: consecutive threads start far apart in the list, whatever their number.
  i = math.floor((number or 0) * 0.6180339887 * #paths) % #paths
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
