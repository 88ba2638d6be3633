# Domain packages: profiles, instruments, hashtags, time zones, practice rules, statistics.
DOMAIN_PKGS := ./shared/hashtag/... ./shared/timezone/... ./shared/instrument/... ./shared/profile/... \
	./shared/practice/... ./shared/stats/...

.PHONY: test-domain bench-domain

test-domain:
	go vet $(DOMAIN_PKGS)
	go test -count=1 $(DOMAIN_PKGS)
	go tool staticcheck $(DOMAIN_PKGS)

bench-domain:
	go test -run '^$$' -bench . -benchmem $(DOMAIN_PKGS)
