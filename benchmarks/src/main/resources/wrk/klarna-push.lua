-- wrk script for WrkCheck (benchmark 1 driven by an independent client): the Klarna push exactly as
-- BenchShop sends it (KlarnaCallbackRequests.push, written by Servers.http): POST to the servlet's
-- mount, the order id in the query, User-Agent APIs-Klarna, an empty body. Every request carries a
-- new order id, <prefix>-<thread>-<n>, so that ours accepts and schedules each one, as benchmark 1's
-- requests are. WrkCheck checks the bytes against BenchShop's before it measures.
--
--   wrk -t2 -c16 -d3s --latency -s klarna-push.lua http://127.0.0.1:<port>/ -- <prefix>

local threads = 0

-- main state: number the threads, so that no two threads make the same order id
function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local prefix
local sequence = 0

function init(args)
   prefix = (args[1] or "wrk") .. "-" .. thread_number .. "-"
end

function request()
   sequence = sequence + 1
   return "POST /callbacks/klarna/push?klarna_order_id=" .. prefix .. sequence .. " HTTP/1.1\r\n"
      .. "Host: 127.0.0.1\r\n"
      .. "User-Agent: APIs-Klarna\r\n"
      .. "Content-Length: 0\r\n"
      .. "\r\n"
end
