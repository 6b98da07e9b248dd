-- wrk script: POST /login with a wrong password (the flood). The pre-session CSRF cookie and
-- token come from the environment (BENCH_CSRF), so that each request reaches the password check.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "__Host-rampart_csrf=" .. os.getenv("BENCH_CSRF")
wrk.body = "csrf_token=" .. os.getenv("BENCH_CSRF") ..
           "&email=nobody%40example.com&password=not-the-password"
