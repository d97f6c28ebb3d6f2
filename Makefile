# smesurvey - build, run and test.  `make` builds everything; see README.
#
#   make            build all programs into build/bin
#   make asan       same with AddressSanitizer + UBSan into build-asan/bin
#   make fuzz       the libFuzzer harnesses (tests/fuzz), each FUZZ_SECONDS=300 long
#   make sqlmap     sqlmap against every parameter of the running test stack (scripts/sqlmap)
#   make run        install missing packages, build, start the private stack with demo data
#   make stop       stop everything `make run` (and `make cluster`) started
#   make cluster    three Galera nodes, two application hosts, one load balancer (var/cluster)
#   make cluster-stop  stop only the cluster
#   make test-cluster  e2e suite through the balancer + fault test (kill a node and a host)
#   make test       unit tests (normal + ASan/UBSan) and end-to-end tests on a private stack
#   make bench      wrk benchmarks against the running stack (CLUSTER=1: against `make cluster`'s)
#   make bench-scale N=100  load a national data set (40 regions x N SMEs) into the running stack and time it
#   make install    PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc RUNDIR=/run/smesurvey LOGDIR=/var/log/smesurvey
#   make uninstall  the same variables

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS     = libsodium
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -fstack-protector-strong -fstack-clash-protection -fcf-protection -D_FORTIFY_SOURCE=2 -fPIE \
           $(shell mariadb_config --cflags) $(shell pkg-config --cflags cairo)
LDFLAGS += -pie -Wl,-z,relro,-z,now
LDLIBS  += -lfcgi $(shell mariadb_config --libs) -lssl -lsodium -lcrypt -lxlsxwriter -lreadstat -lzip -lexpat -lfreexl -lm -pthread

ifeq ($(SANITIZE),1)
CFLAGS  := $(filter-out -D_FORTIFY_SOURCE=2 -O2,$(CFLAGS)) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

.DEFAULT_GOAL := all

# The release, from the VERSION file: `--version` of every program.
VERSION := $(shell cat VERSION)
$(BUILD)/obj/cgi-bin/core/app.o $(BUILD)/obj/cgi-bin/admin/main.o $(BUILD)/obj/cgi-bin/supervise.o: \
	CFLAGS += -DSMESURVEY_VERSION='"$(VERSION)"'
$(BUILD)/obj/cgi-bin/core/app.o $(BUILD)/obj/cgi-bin/admin/main.o $(BUILD)/obj/cgi-bin/supervise.o: VERSION
# The schema these programs expect: the newest migration (`smesurvey-admin check`).
MIGRATIONS := $(sort $(wildcard sql/[0-9][0-9][0-9]_*.sql))
$(BUILD)/obj/cgi-bin/admin/check.o: CFLAGS += -DSMESURVEY_SCHEMA='"$(basename $(notdir $(lastword $(MIGRATIONS))))"'
$(BUILD)/obj/cgi-bin/admin/check.o: $(MIGRATIONS)

# Each layer of cgi-bin is compiled with the include paths of the layers it
# may use and no others (doc/layers.md), so an #include that points upwards
# does not compile: core sees only core; forms (the form engine) core and
# forms; eval also forms; sample also eval (a reset or a replacement updates
# the evaluation's counters); pages also eval; the programs, the unit tests
# and the bench see everything. A folder program's own header is found
# beside its sources, as quoted includes are.
INC_core   = -Icgi-bin/core
INC_forms  = $(INC_core) -Icgi-bin/forms
INC_eval   = $(INC_forms) -Icgi-bin/eval
INC_sample = $(INC_eval) -Icgi-bin/sample
INC_pages  = $(INC_eval) -Icgi-bin/pages
INC_all    = $(INC_sample) -Icgi-bin/pages
LAYER_INC  = $(INC_all)
$(BUILD)/obj/cgi-bin/core/%.o:   LAYER_INC = $(INC_core)
$(BUILD)/obj/cgi-bin/forms/%.o:  LAYER_INC = $(INC_forms)
$(BUILD)/obj/cgi-bin/eval/%.o:   LAYER_INC = $(INC_eval)
$(BUILD)/obj/cgi-bin/sample/%.o: LAYER_INC = $(INC_sample)
$(BUILD)/obj/cgi-bin/pages/%.o:  LAYER_INC = $(INC_pages)
$(BUILD)/obj/gen/%.o:            LAYER_INC = $(INC_forms)

CORE_SRC  = $(wildcard cgi-bin/core/*.c)
FORMS_SRC = $(wildcard cgi-bin/forms/*.c) $(wildcard cgi-bin/eval/*.c) $(wildcard cgi-bin/pages/*.c) $(wildcard cgi-bin/sample/*.c)
LIB_SRC   = $(CORE_SRC) $(FORMS_SRC)
LIB_OBJ   = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/codebook.o $(BUILD)/obj/gen/catalog.o $(BUILD)/obj/gen/indicators.o \
            $(BUILD)/obj/gen/prefill.o $(BUILD)/obj/gen/frame_words.o $(patsubst %,$(BUILD)/obj/gen/review_%.o,$(REVIEW_DATA)) \
            $(BUILD)/obj/gen/flagrules.o
LIB       = $(BUILD)/libsme.a

# FastCGI programs: one per questionnaire and per administrative function.
FORMS     = selfeval hub window resource sme
# The FastCGI programs: the one list is conf/programs.
FCGI_PROGS := $(shell sed -e '/^\#/d' -e '/^$$/d' conf/programs)
CLI_PROGS  = smesurvey-admin smesurvey-supervise
PROGS      = $(addprefix $(BUILD)/bin/,$(FCGI_PROGS) $(CLI_PROGS))

UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

# forms.tsv is the form catalog (core/catalog.h), the others one codebook each.
CATALOG    = cgi-bin/forms/codebook/forms.tsv
CODEBOOK   = $(filter-out $(CATALOG),$(wildcard cgi-bin/forms/codebook/*.tsv))

.PHONY: all asan run stop cluster cluster-stop test-cluster bench-cluster test unit e2e bench bench-scale install uninstall clean check-sql fuzz fuzz-build fuzz-bins sqlmap
all: $(PROGS) $(UNIT_BINS)

# Every object records the headers it includes (-MMD) in a .d file next to
# it, read back below, so touching a header rebuilds exactly its includers;
# -MP adds an empty rule per header, so deleting one does not break make.
DEPFLAGS = -MMD -MP

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LAYER_INC) $(DEPFLAGS) -c -o $@ $<

# The codebook TSVs are embedded verbatim; the form engine parses them once
# at start-up (and `make test` checks every rule parses).
$(BUILD)/gen/codebook.c: $(CODEBOOK) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh $(CODEBOOK) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/catalog.c: $(CATALOG) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s form_catalog_tsv $(CATALOG) > $@.tmp && mv $@.tmp $@

# The evaluation indicators (../shared/indicators), embedded like the codebook.
INDICATORS = cgi-bin/eval/indicators/indicators.tsv
$(BUILD)/gen/indicators.c: $(INDICATORS) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s indicators_tsv $(INDICATORS) > $@.tmp && mv $@.tmp $@

# Which fields known facts prefill (forms/prefill.h), embedded the same way.
PREFILL = cgi-bin/forms/prefill/prefill.tsv
$(BUILD)/gen/prefill.c: $(PREFILL) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s prefill_tsv $(PREFILL) > $@.tmp && mv $@.tmp $@

# The frame import's heading synonyms, footer markers and placeholders
# (sample/fwords.c), embedded the same way.
FRAME_WORDS = cgi-bin/sample/words/headings.tsv
$(BUILD)/gen/frame_words.c: $(FRAME_WORDS) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s frame_words_tsv $(FRAME_WORDS) > $@.tmp && mv $@.tmp $@

# The agency's review vocabulary (eval/evalconf.h): contents, rating
# scale, documents; each as review_<name>_tsv.
REVIEW_DATA = contents scale documents targets
$(BUILD)/gen/review_%.c: cgi-bin/eval/review/%.tsv cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s review_$*_tsv $< > $@.tmp && mv $@.tmp $@

# The integrity rules (issue 20, eval/flags.h), embedded the same way.
FLAGRULES = cgi-bin/eval/flags/rules.tsv
$(BUILD)/gen/flagrules.c: $(FLAGRULES) cgi-bin/forms/embed.sh
	@mkdir -p $(dir $@)
	sh cgi-bin/forms/embed.sh -s flag_rules_tsv $(FLAGRULES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LAYER_INC) $(DEPFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/smesurvey-form-%: $(BUILD)/obj/cgi-bin/form-%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The supervisor uses nothing of the library: only libc, so it links alone.
$(BUILD)/bin/smesurvey-supervise: $(BUILD)/obj/cgi-bin/supervise.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/bin/smesurvey-%: $(BUILD)/obj/cgi-bin/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A larger program is a folder, cgi-bin/NAME/ (main.c holds its page table
# or command table, the other files one concern each), linked from all of
# its objects; the folder's own header is found beside its sources.
DIR_PROGS = $(notdir $(patsubst %/main.c,%,$(wildcard cgi-bin/*/main.c)))
define dir_prog
$(BUILD)/bin/smesurvey-$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cgi-bin/$(1)/*.c)) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach p,$(DIR_PROGS),$(eval $(call dir_prog,$(p))))

# test_core passes NULL to h_printf's %s on purpose (h_printf prints
# nothing for it), which GCC's printf check would reject; only the tests.
$(BUILD)/obj/tests/%.o: CFLAGS += -Wno-format-overflow

# cairo and libqrencode are loaded on first use (core/lazylib.h), so no
# program links them; test_codes calls cairo itself to drop its caches.
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cairo)

$(BUILD)/obj/cgi-bin/form-%.o: cgi-bin/form-main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LAYER_INC) $(DEPFLAGS) -DFORM_NAME='"$*"' -c -o $@ $<

# Objects reached only through pattern rules (a program's own object, the
# generated codebook) would otherwise count as intermediate and be deleted
# after each build, so the next `make` would compile them again.
.SECONDARY:

# The .d files are made by the compiler, never by a rule: without this
# empty one, make's built-in `%: %.o` would try to link them.
$(BUILD)/obj/%.d: ;
-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d)

asan:
	$(MAKE) BUILD=build-asan SANITIZE=1 all

# libFuzzer harnesses (tests/fuzz/fuzz_*.c, README "Fuzzing"): the library
# built again with clang, libFuzzer's coverage, ASan and UBSan into
# build-fuzz/, one program per harness in build-fuzz/fuzz/.
FUZZ_NAMES = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
ifeq ($(FUZZ),1)
CC      := clang
CFLAGS  := $(filter-out -D_FORTIFY_SOURCE=2 -O2,$(CFLAGS)) -O1 -fsanitize=fuzzer-no-link,address,undefined \
           -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-unknown-warning-option
LDFLAGS += -fsanitize=fuzzer,address,undefined
endif
$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
fuzz-bins: $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))
fuzz-build:
	$(MAKE) BUILD=build-fuzz FUZZ=1 fuzz-bins
# Each harness for FUZZ_SECONDS (default 300) with the limits of
# scripts/fuzz; new inputs collect in var/fuzz/corpus/, crashes in var/fuzz/.
FUZZ_SECONDS ?= 300
fuzz: fuzz-build
	scripts/fuzz --seconds $(FUZZ_SECONDS)

# sqlmap against every parameter, on a private stack of its own (var/sqlmap,
# SQLMAP_PORT 18099): scripts/sqlmap, README "Security tests".
sqlmap: all
	scripts/sqlmap

run: 
	scripts/stack deps
	$(MAKE) all
	scripts/stack start

# Stops the single stack and, when one was started, the cluster too.
stop:
	scripts/stack stop
	if [ -d var/cluster ]; then scripts/cluster stop; fi

# Three Galera nodes, two application hosts and a load balancer under
# var/cluster (scripts/cluster; README, "More than one host").
cluster:
	scripts/stack deps
	$(MAKE) all
	scripts/cluster start

cluster-stop:
	scripts/cluster stop

# The e2e suite through the balancer, the fault test and INSTALL's
# multi-host chapter, on a fresh cluster (scripts/test-cluster).
test-cluster:
	scripts/test-cluster

unit: all asan
	prove -v --exec '' $(UNIT_BINS) $(patsubst $(BUILD)/%,build-asan/%,$(UNIT_BINS))

test:
	scripts/run-tests

# No SQL outside the statement table (cgi-bin/core/stmts.c); make test runs it.
check-sql:
	scripts/check-sql

# The ceilings `make bench` compares the pages with (bench/ceiling.c).
CEILING = $(BUILD)/bench/smesurvey-ceiling
$(CEILING): $(BUILD)/obj/bench/ceiling.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The renderer's instruction counts (bench/render.c; scripts/bench-render).
RENDER_BENCH = $(BUILD)/bench/smesurvey-render-bench
$(RENDER_BENCH): $(BUILD)/obj/bench/render.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench: all $(CEILING) $(RENDER_BENCH)
ifeq ($(CLUSTER),1)
	scripts/bench-cluster
else
	CEILING=$(CEILING) scripts/bench
endif

# One host against two, Galera against one node (make cluster first).
bench-cluster: all
	scripts/bench-cluster

# Generated national data (SQL bulk load, scripts/bench-scale), then timings.
N ?= 100
bench-scale: all
	N=$(N) WORKLOAD=$(WORKLOAD) scripts/bench-scale

# Installed tree (explicit modes: a 027 umask must not make files unreadable
# for the web server). Templates get their paths filled here; the demo data
# (sql/demo, clear-text demo passwords) is never installed.
RUNDIR     ?= /run/smesurvey
SYSCONFDIR ?= /etc
LOGDIR     ?= /var/log/smesurvey
SHAREDIR  = $(PREFIX)/share/smesurvey
LIBEXEC   = $(PREFIX)/lib/smesurvey/cgi-bin
FILL      = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@CONFDIR@|$(SHAREDIR)/conf|g' \
                -e 's|@RUNDIR@|$(RUNDIR)|g' -e 's|@HTDOCS@|$(SHAREDIR)/htdocs|g' \
                -e 's|@EMPTYDIR@|$(SHAREDIR)/empty|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
                -e 's|@LOGDIR@|$(LOGDIR)|g' -e 's|@PROGRAMS@|$(FCGI_PROGS)|g' -e 's|@HOSTS_SCHEME@|https|g'
TEMPLATES = nginx-app.conf nginx-site.conf apache-app.conf apache-site.conf \
            nginx-balancer-app.conf nginx-balancer-site.conf apache-balancer-site.conf
MANDIR    = $(PREFIX)/share/man
# The operator's reference: mdoc pages, checked by tests/build/50-man.t.
MAN5      = doc/man/smesurvey.conf.5
MAN8      = doc/man/smesurvey-admin.8 doc/man/smesurvey-setup.8 doc/man/smesurvey-supervise.8
INSTALLED = $(addprefix $(LIBEXEC)/,$(FCGI_PROGS)) $(addprefix $(PREFIX)/bin/,$(CLI_PROGS) smesurvey-setup) \
            $(addprefix $(MANDIR)/man5/,$(notdir $(MAN5))) $(addprefix $(MANDIR)/man8/,$(notdir $(MAN8))) \
            $(SHAREDIR)

install: all
	install -d -m 0755 $(DESTDIR)$(LIBEXEC) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHAREDIR)/htdocs/errors \
	        $(DESTDIR)$(SHAREDIR)/sql $(DESTDIR)$(SHAREDIR)/conf $(DESTDIR)$(SHAREDIR)/empty
	install -m 0755 $(addprefix $(BUILD)/bin/,$(FCGI_PROGS)) $(DESTDIR)$(LIBEXEC)/
	install -m 0755 $(addprefix $(BUILD)/bin/,$(CLI_PROGS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 scripts/smesurvey-setup $(DESTDIR)$(PREFIX)/bin/
	install -d -m 0755 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(filter-out htdocs/errors,$(wildcard htdocs/*)) $(DESTDIR)$(SHAREDIR)/htdocs/
	install -m 0644 htdocs/errors/*.html $(DESTDIR)$(SHAREDIR)/htdocs/errors/
	install -m 0644 sql/[0-9][0-9][0-9]_*.sql $(DESTDIR)$(SHAREDIR)/sql/
	install -m 0644 VERSION $(DESTDIR)$(SHAREDIR)/
	install -m 0644 conf/smesurvey.conf.example conf/smesurvey.logrotate conf/galera.cnf $(DESTDIR)$(SHAREDIR)/conf/
	for t in $(TEMPLATES); do $(FILL) conf/$$t.in > $(DESTDIR)$(SHAREDIR)/conf/$$t.tmp && \
	    install -m 0644 $(DESTDIR)$(SHAREDIR)/conf/$$t.tmp $(DESTDIR)$(SHAREDIR)/conf/$$t && \
	    rm -f $(DESTDIR)$(SHAREDIR)/conf/$$t.tmp || exit 1; done
	$(FILL) conf/smesurvey@.service > $(DESTDIR)$(SHAREDIR)/conf/smesurvey@.service.tmp
	install -m 0644 $(DESTDIR)$(SHAREDIR)/conf/smesurvey@.service.tmp $(DESTDIR)$(SHAREDIR)/conf/smesurvey@.service
	$(FILL) conf/smesurvey.init > $(DESTDIR)$(SHAREDIR)/conf/smesurvey.init.tmp
	install -m 0755 $(DESTDIR)$(SHAREDIR)/conf/smesurvey.init.tmp $(DESTDIR)$(SHAREDIR)/conf/smesurvey.init
	rm -f $(DESTDIR)$(SHAREDIR)/conf/*.tmp

# Removes what `make install` put in place; configuration, data, logs and
# the database are the administrator's and stay.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(filter-out $(SHAREDIR),$(INSTALLED)))
	rm -rf $(DESTDIR)$(SHAREDIR)
	-rmdir $(DESTDIR)$(LIBEXEC) $(DESTDIR)$(PREFIX)/lib/smesurvey 2>/dev/null

clean:
	rm -rf build build-asan build-fuzz
