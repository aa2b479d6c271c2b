module pprof-lens.test/e2eserver

go 1.19
