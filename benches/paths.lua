-- wrk script: GETs the paths listed in the file $PATH_LIST (one per line) in turn, asking for
-- gzip as a browser does. Used by benches/load.sh and benches/peers.sh.
local paths = {}
for line in io.lines(os.getenv("PATH_LIST")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
