-- wrk script: a page read as a browser sends it (GET /{id} answers a
-- program without text/html in its Accept with the raw text instead).
wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
