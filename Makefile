# tellonce: one command runs the system, one passes all tests. See README.md.
SHELL := /bin/bash
MVN ?= ./mvnw -B
STACK := deploy/stack.sh
SESSION := .tellonce/run/test-session

.PHONY: help build run stop status test bench images verify-images verify-input verify-access verify-faults clean logs

help:
	@echo "make run    - build if needed, start Kafka, PostgreSQL, Keycloak and the four services, load demo data"
	@echo "make test   - every test against the real servers (starts what is not running, stops what it started)"
	@echo "make bench  - benchmarks at scale (identity matching at 1,000,000 people; consent decisions; see docs/benchmarks.md)"
	@echo "make images - OCI images of the four services (Jib, no Docker): pushed to TELLONCE_REGISTRY, else target/images/*.tar"
	@echo "make verify-images - start each image's tarball (chroot, user 185) against the local stack until ready (root)"
	@echo "make verify-input - the hostile-input suite alone (also part of make test): 500+ inputs per service, 0 violations"
	@echo "make verify-access - the leak matrix (10,000+ reads held to a policy oracle) and 1,000 objection races across replicas"
	@echo "make verify-faults - 100,000 council events and 10,000 writes while Kafka, each service and PostgreSQL fail: nothing lost or doubled"
	@echo "make stop   - stop everything make run started"
	@echo "make status - what is running"
	@echo "make clean  - stop, then delete build output and all local data"

# APPCDS=1 also makes each service's class-data archive (AppCDS: about 20 s more build per service, 10-20 % faster
# start-up; deploy/stack.sh uses an archive when there is one). See docs/benchmarks.md, "Footprint".
build:
	$(MVN) -q install -DskipTests $(if $(APPCDS),-Dquarkus.package.jar.appcds.enabled=true)

run: build
	$(STACK) start all
	@deploy/demo.sh

stop:
	$(STACK) stop all

status:
	@$(STACK) status

# Starts what is not running (recording what it started), runs every test, then stops exactly what it started.
test:
	@mkdir -p .tellonce/run && rm -f $(SESSION)
	@status=0; \
	$(STACK) start infra --record $(SESSION) && \
	$(MVN) install && \
	$(STACK) start services --record $(SESSION) && \
	$(STACK) start replicas --record $(SESSION) && \
	$(MVN) verify -DskipITs=false -pl services/system-tests || status=$$?; \
	$(STACK) stop all --only $(SESSION); \
	exit $$status

# Benchmarks against real servers at scale; the numbers and the method are in docs/benchmarks.md.
bench: build
	deploy/bench.sh

# Container images built by Quarkus' Jib extension on a base made here (deploy/images.sh says how).
images:
	deploy/images.sh build

verify-images:
	$(STACK) start infra
	deploy/images.sh verify

# Hostile input against the running services; the last line reads "N requests, M services, V violations".
verify-input: build
	$(STACK) start all
	$(MVN) verify -DskipITs=false -pl services/system-tests -Dit.test=HostileInputIT

# The leak matrix and 1,000 rounds of objecting while reading across two replicas of every service (not in make test:
# the audit events of their reads keep the access monitor busy for minutes). TELLONCE_ACCESS_PERSONS sets the matrix's population (52: about 11,900 requests),
# TELLONCE_RACE_ROUNDS the rounds.
verify-access: build
	$(STACK) start all
	$(STACK) start replicas
	TELLONCE_RACE_ROUNDS=$${TELLONCE_RACE_ROUNDS:-1000} \
	  $(MVN) verify -DskipITs=false -pl services/system-tests -Dit.test='AccessMatrixIT,RevocationRaceIT'

# The fault suite: kills the Kafka broker and each service (SIGKILL) and stops PostgreSQL for 30 s while council events
# and FHIR writes flow, then checks every acknowledged write and event took effect exactly once (about 10 minutes).
# TELLONCE_FAULT_EVENTS, TELLONCE_FAULT_WRITES and their _RATE (per second) size the load.
verify-faults: build
	$(STACK) start all
	$(STACK) start replicas
	$(MVN) verify -DskipITs=false -pl services/system-tests -Dit.test=FaultsIT

clean: stop
	$(MVN) -q clean || true
	rm -rf .tellonce
