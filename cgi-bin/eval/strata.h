/*
 * strata.h - the sample's strata, once: their codes (as stored in
 * sample_units.stratum, as the stratum= parameters and the indicators'
 * rate() name them) and their names for people. The draw (sample/), the
 * indicators and the progress tables (eval/) and the pages use this table.
 */
#ifndef SME_STRATA_H
#define SME_STRATA_H

enum stratum { ST_HUB = 0, ST_WINDOW, ST_SME, ST_COUNT };

/* "hub" "window" "sme", then NULL (a PT_ENUM list). */
extern const char *const stratum_codes[ST_COUNT + 1];

const char *stratum_code(int s);          /* "" when out of range */
const char *stratum_label(int s);         /* 地区枢纽平台, 窗口平台, 中小企业 */
const char *stratum_category(int s);      /* the units': 服务资源单位（枢纽平台组织）... */
int         stratum_parse(const char *s); /* -1 when unknown */
/* A unit's category by stratum code; "全部" for any other value ("all"). */
const char *stratum_category_of(const char *code);

#endif
