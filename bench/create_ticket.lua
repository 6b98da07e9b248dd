-- wrk script: POST /api/v1/tickets with a JSON body and a Bearer token.
-- The token comes from the environment (BENCH_TOKEN), never from the command line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = '{"subject":"Printer offline on the third floor",' ..
           '"body":"Since this morning the printer shows an error and prints nothing."}'
