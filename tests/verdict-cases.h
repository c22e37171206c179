/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Constructed diagnoses for every verdict, shared by test-verdict.c and
 * test-verdict-de.c.  Each case is one situation a person can be in. */

#include <stdlib.h>
#include <string.h>

#include "mtc-verdict.h"

/* The time the certificates below are judged against, unless a case sets a
 * (wrong) clock of its own. */
#define CASE_NOW "2026-11-27T12:00:00Z"
#define CASE_ISSUER "C=US,O=Let's Encrypt,CN=R11"
#define AVAST "CN=Avast Web/Mail Shield Root"

typedef struct {
  const char *url;
  MtcStatus status;
  const char *versions;          /* TLS 1.0 … 1.3: + accepted, - rejected, n not tested, e error */
  const char *issuer;            /* NULL: the provider's usual issuer; "" no certificate */
  GTlsCertificateFlags errors;
  int valid_from_days;           /* relative to CASE_NOW; 0 and 0 mean -30 … +60 */
  int valid_until_days;
  const char *failure;           /* the words of each failed version, "%s" for it ("TLS 1.0"), or NULL */
  const char *reason;            /* how each failed version was decided, or NULL */
} EndpointSpec;

typedef struct {
  const char *name;
  const char *client;
  const char *system;
  const char *model;
  const char *email;
  gboolean other_computer;       /* --system for another computer: this one's TLS policy does not bind */
  const char *local;             /* what this computer offers, TLS 1.0 … 1.3; NULL "++++" */
  const char *now;               /* this computer's clock; NULL CASE_NOW */
  const char *expected_issuer;
  const char *webmail;
  const char *min_version;
  const char *provider_name;
  const char *starttls_published[4]; /* the profile publishes these with STARTTLS */
  /* The mail program's account as read from its settings: "PROGRAM VERSION URL URL [max=N] [min=N]", each
   * URL a server as set (smtp:// STARTTLS, smtps:// SSL/TLS, "none:smtp://…" no encryption), the
   * incoming one first; the endpoint of the same URL below is its probe as set.  NULL: none read. */
  const char *account;
  EndpointSpec endpoints[8];
  MtcVerdictId expected;
  const char *steps[6];          /* the ids of the steps, in order */
  gboolean may_stop;
  gboolean cannot_test;
} VerdictCase;

#define OK(url, v) { url, MTC_STATUS_OK, v, NULL, 0, 0, 0 }
#define FAILED(url, status) { url, status, "eeee", "", 0, 0, 0 }
#define CERT(url, issuer, errors, from, until) { url, MTC_STATUS_OK, "--++", issuer, errors, from, until }
#define NO_STARTTLS(url) { url, MTC_STATUS_NO_STARTTLS, "nnnn", "", 0, 0, 0 }
#define INJECTED(url) { url, MTC_STATUS_INJECTION, "nnnn", "", 0, 0, 0 }
/* Every version ends with the same alert, as a broken server does. */
#define INTERNAL_ERROR(url) { url, MTC_STATUS_TLS_ERROR, "eeee", "", 0, 0, 0, \
                              "The server broke off the %s handshake with the alert “internal_error”.", \
                              "internal_error" }

#define PROVIDER(v) \
  OK ("smtp://mail.example.net:587", v), OK ("smtps://mail.example.net:465", v), \
  OK ("imap://mail.example.net:143", v), OK ("imaps://mail.example.net:993", v), \
  OK ("https://webmail.example.net:443", v)
#define MODERN_PROVIDER PROVIDER ("--++")
#define LEGACY_PROVIDER PROVIDER ("++++")

static const VerdictCase verdict_cases[] = {
  /* The provider of the help article: TLS 1.2 only; Apple Mail on El Capitan. */
  { .name = "client-too-old/el-capitan", .client = "apple-mail", .system = "macos-10.11", .other_computer = TRUE,
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "upgrade", "other-client", "support" } },
  /* A 2009 MacBook Pro ends at 10.11: the update does not help and comes last. */
  { .name = "client-too-old/el-capitan-macbookpro5,5", .client = "apple-mail", .system = "macos-10.11",
    .model = "MacBookPro5,5", .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "other-client", "upgrade", "support" } },
  /* A 2010 MacBook Pro reaches High Sierra: the update helps. */
  { .name = "client-too-old/el-capitan-macbookpro7,1", .client = "apple-mail", .system = "macos-10.11",
    .model = "MacBookPro7,1", .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "upgrade", "other-client", "support" } },
  /* Nothing known runs on Snow Leopard: no other program is offered. */
  { .name = "client-too-old/snow-leopard", .client = "apple-mail", .system = "macos-10.6",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "upgrade", "support" } },
  /* Outlook on Windows 7: the registry fix is an attempt, Thunderbird a sure way. */
  { .name = "client-too-old/outlook-windows-7", .client = "outlook", .system = "windows-7",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "other-client", "upgrade", "support" } },
  { .name = "client-too-old/outlook-windows-8-uncertain", .client = "outlook", .system = "windows-8",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "other-client", "support" } },

  { .name = "all-good/mojave", .client = "apple-mail", .system = "macos-10.14", .other_computer = TRUE,
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "support" } },
  { .name = "all-good/thunderbird-el-capitan", .client = "thunderbird", .system = "macos-10.11",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "support" } },
  { .name = "all-good/outlook-windows-10", .client = "outlook", .system = "windows-10",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "support" } },
  /* Works today through TLS 1.0 — and may stop. */
  { .name = "all-good/el-capitan-legacy-provider", .client = "apple-mail", .system = "macos-10.11",
    .other_computer = TRUE, .endpoints = { LEGACY_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD,
    .steps = { "settings", "upgrade", "other-client", "support" }, .may_stop = TRUE },
  { .name = "all-good/snow-leopard-legacy-provider", .client = "apple-mail", .system = "macos-10.6",
    .endpoints = { LEGACY_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD,
    .steps = { "settings", "upgrade", "support" }, .may_stop = TRUE },
  /* The servers still complete TLS 1.0, but the provider states it accepts
   * 1.2 and newer (and may turn 1.0 away at login): the statement counts. */
  { .name = "client-too-old/announced-minimum", .client = "apple-mail", .system = "macos-10.9", .min_version = "1.2",
    .provider_name = "Example Mail", .endpoints = { LEGACY_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "upgrade", "other-client", "support" } },
  { .name = "all-good/unknown-program", .system = "linux", .endpoints = { MODERN_PROVIDER },
    .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "webmail", "support" } },
  { .name = "all-good/windows-live-mail-unknown", .client = "windows-live-mail", .system = "windows-7",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD,
    .steps = { "settings", "webmail", "support" } },
  /* Outlook on Windows 7 still works through TLS 1.0: Thunderbird first, then the uncertain fix. */
  { .name = "all-good/outlook-windows-7-legacy-provider", .client = "outlook", .system = "windows-7",
    .endpoints = { LEGACY_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD,
    .steps = { "settings", "other-client", "upgrade", "support" }, .may_stop = TRUE },
  { .name = "all-good/webmail-only", .endpoints = { OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_ALL_GOOD, .steps = { "webmail", "support" } },

  { .name = "port-blocked/all-mail-ports", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { FAILED ("smtp://mail.example.net:587", MTC_STATUS_TIMEOUT),
                   FAILED ("smtps://mail.example.net:465", MTC_STATUS_TIMEOUT),
                   FAILED ("imap://mail.example.net:143", MTC_STATUS_REFUSED),
                   FAILED ("imaps://mail.example.net:993", MTC_STATUS_TIMEOUT),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_PORT_BLOCKED, .steps = { "webmail", "other-network", "support" } },
  { .name = "port-blocked/sending", .client = "thunderbird", .system = "linux",
    .endpoints = { FAILED ("smtp://mail.example.net:587", MTC_STATUS_REFUSED),
                   FAILED ("smtps://mail.example.net:465", MTC_STATUS_UNREACHABLE),
                   OK ("imaps://mail.example.net:993", "--++") },
    .expected = MTC_VERDICT_PORT_BLOCKED, .steps = { "webmail", "other-network", "support" } },

  { .name = "offline/names", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { FAILED ("smtps://mail.example.net:465", MTC_STATUS_DNS_ERROR),
                   FAILED ("imaps://mail.example.net:993", MTC_STATUS_DNS_ERROR),
                   FAILED ("https://webmail.example.net:443", MTC_STATUS_DNS_ERROR) },
    .expected = MTC_VERDICT_OFFLINE, .steps = { "check-connection", "support" } },
  { .name = "offline/silence", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { FAILED ("smtps://mail.example.net:465", MTC_STATUS_TIMEOUT),
                   FAILED ("imaps://mail.example.net:993", MTC_STATUS_UNREACHABLE),
                   FAILED ("https://webmail.example.net:443", MTC_STATUS_TIMEOUT) },
    .expected = MTC_VERDICT_OFFLINE, .steps = { "check-connection", "support" } },

  /* The battery of the clock died: it says 2009. */
  { .name = "clock-wrong/behind", .client = "apple-mail", .system = "macos-10.14", .now = "2009-01-03T10:00:00Z",
    .endpoints = { CERT ("smtps://mail.example.net:465", NULL, G_TLS_CERTIFICATE_NOT_ACTIVATED, 0, 0),
                   CERT ("imaps://mail.example.net:993", NULL, G_TLS_CERTIFICATE_NOT_ACTIVATED, 0, 0),
                   CERT ("https://webmail.example.net:443", NULL, G_TLS_CERTIFICATE_NOT_ACTIVATED, 0, 0) },
    .expected = MTC_VERDICT_CLOCK_WRONG, .steps = { "fix-clock", "support" } },
  { .name = "clock-wrong/ahead", .client = "thunderbird", .system = "windows-10", .now = "2031-06-01T08:00:00Z",
    .endpoints = { CERT ("smtps://mail.example.net:465", NULL, G_TLS_CERTIFICATE_EXPIRED, 0, 0),
                   CERT ("imaps://mail.example.net:993", NULL, G_TLS_CERTIFICATE_EXPIRED, 0, 0) },
    .expected = MTC_VERDICT_CLOCK_WRONG, .steps = { "fix-clock", "support" } },
  /* Expired yesterday: the provider forgot to renew, the clock is fine. */
  { .name = "server-problem/expired-certificate", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { CERT ("smtps://mail.example.net:465", NULL, G_TLS_CERTIFICATE_EXPIRED, -91, -1),
                   CERT ("imaps://mail.example.net:993", NULL, G_TLS_CERTIFICATE_EXPIRED, -91, -1),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support", "webmail" } },
  /* Expired five weeks ago, still far from a year: a provider that forgot,
   * not a clock years ahead. */
  { .name = "server-problem/expired-weeks-ago", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { CERT ("smtps://mail.example.net:465", NULL, G_TLS_CERTIFICATE_EXPIRED, -125, -35),
                   CERT ("imaps://mail.example.net:993", NULL, G_TLS_CERTIFICATE_EXPIRED, -125, -35) },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support" } },

  { .name = "tls-intercepted/with-profile", .client = "thunderbird", .system = "windows-10",
    .expected_issuer = "Let's Encrypt",
    .endpoints = { CERT ("smtps://mail.example.net:465", AVAST, G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   CERT ("imaps://mail.example.net:993", AVAST, G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_TLS_INTERCEPTED, .steps = { "antivirus", "webmail", "support" } },
  { .name = "tls-intercepted/without-profile", .client = "outlook", .system = "windows-10",
    .endpoints = { CERT ("smtps://mail.example.net:465", "CN=ESET SSL Filter CA", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   CERT ("imaps://mail.example.net:993", "CN=ESET SSL Filter CA", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   OK ("https://mail.example.net:443", "--++") },
    .expected = MTC_VERDICT_TLS_INTERCEPTED, .steps = { "antivirus", "webmail", "support" } },
  /* The same untrusted issuer everywhere and no profile: the provider's own doing. */
  { .name = "server-problem/self-signed", .client = "thunderbird", .system = "linux",
    .endpoints = { CERT ("smtps://mail.example.net:465", "CN=mail.example.net", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   CERT ("imaps://mail.example.net:993", "CN=mail.example.net", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0) },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support" } },

  /* The profile says these servers offer STARTTLS; on the way it went missing. */
  { .name = "starttls-stripped/published", .client = "thunderbird", .system = "linux",
    .starttls_published = { "smtp://mail.example.net:587", "imap://mail.example.net:143" },
    .endpoints = { NO_STARTTLS ("smtp://mail.example.net:587"), OK ("smtps://mail.example.net:465", "--++"),
                   NO_STARTTLS ("imap://mail.example.net:143"), OK ("imaps://mail.example.net:993", "--++"),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "settings", "other-network", "support" } },
  /* No STARTTLS on 143 and 110, nothing says it should be there: a finding
   * about those ports; the settings use 993 and 995. */
  { .name = "all-good/no-starttls-without-evidence", .client = "thunderbird", .system = "linux",
    .endpoints = { NO_STARTTLS ("imap://mail.example.net:143"), OK ("imaps://mail.example.net:993", "--++"),
                   NO_STARTTLS ("pop3://mail.example.net:110"), OK ("pop3s://mail.example.net:995", "--++") },
    .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "support" } },
  /* … and the same with a profile that publishes STARTTLS on 143. */
  { .name = "starttls-stripped/profile-says-143", .client = "thunderbird", .system = "linux",
    .starttls_published = { "imap://mail.example.net:143" },
    .endpoints = { NO_STARTTLS ("imap://mail.example.net:143"), OK ("imaps://mail.example.net:993", "--++"),
                   NO_STARTTLS ("pop3://mail.example.net:110"), OK ("pop3s://mail.example.net:995", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "settings", "other-network", "support" } },
  /* The same server offers STARTTLS on port 25 but not on 587. */
  { .name = "starttls-stripped/same-server-elsewhere", .client = "thunderbird", .system = "linux",
    .endpoints = { OK ("smtp://mail.example.net:25", "--++"), NO_STARTTLS ("smtp://mail.example.net:587"),
                   OK ("smtps://mail.example.net:465", "--++"), OK ("imaps://mail.example.net:993", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "settings", "other-network", "support" } },
  /* Injection is named as such, whatever else is found. */
  { .name = "starttls-injected/hotel", .client = "thunderbird", .system = "linux",
    .endpoints = { NO_STARTTLS ("smtp://mail.example.net:587"), OK ("smtps://mail.example.net:465", "--++"),
                   INJECTED ("imap://mail.example.net:143"), OK ("imaps://mail.example.net:993", "--++"),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "settings", "other-network", "antivirus", "support" } },
  { .name = "starttls-injected/everywhere", .client = "thunderbird", .system = "linux",
    .endpoints = { INJECTED ("smtp://mail.example.net:587"), INJECTED ("imap://mail.example.net:143"),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "webmail", "other-network", "antivirus", "support" } },
  { .name = "starttls-injected/beside-clean", .client = "thunderbird", .system = "linux",
    .endpoints = { INJECTED ("smtp://mail.example.net:587"), OK ("smtp://mail.example.net:25", "--++"),
                   OK ("imap://mail.example.net:143", "--++"), OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "webmail", "other-network", "antivirus", "support" } },
  /* Rule order: tampering on the way outranks a blocked port. */
  { .name = "starttls-injected/receiving-blocked", .client = "thunderbird", .system = "linux",
    .endpoints = { INJECTED ("smtp://mail.example.net:587"), OK ("smtps://mail.example.net:465", "--++"),
                   FAILED ("imap://mail.example.net:143", MTC_STATUS_TIMEOUT),
                   FAILED ("imaps://mail.example.net:993", MTC_STATUS_TIMEOUT),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_STARTTLS_STRIPPED, .steps = { "settings", "other-network", "antivirus", "support" } },
  /* Rule order: a wrong clock explains certificates that also look foreign. */
  { .name = "clock-wrong/and-interception", .client = "thunderbird", .system = "windows-10",
    .now = "2009-01-03T10:00:00Z", .expected_issuer = "Let's Encrypt",
    .endpoints = { CERT ("smtps://mail.example.net:465", AVAST,
                         G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_NOT_ACTIVATED, 0, 0),
                   CERT ("imaps://mail.example.net:993", AVAST,
                         G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_NOT_ACTIVATED, 0, 0) },
    .expected = MTC_VERDICT_CLOCK_WRONG, .steps = { "fix-clock", "support" } },
  /* Rule order: a mail scanner explains both the foreign certificate and
   * the tampered STARTTLS. */
  { .name = "tls-intercepted/and-injection", .client = "thunderbird", .system = "windows-10",
    .expected_issuer = "Let's Encrypt", .starttls_published = { "imap://mail.example.net:143" },
    .endpoints = { INJECTED ("smtp://mail.example.net:587"),
                   CERT ("smtps://mail.example.net:465", AVAST, G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   NO_STARTTLS ("imap://mail.example.net:143"),
                   CERT ("imaps://mail.example.net:993", AVAST, G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_TLS_INTERCEPTED, .steps = { "antivirus", "webmail", "support" } },
  /* A self-signed mail host beside a trusted webmail host: two hosts, two
   * certificates; the provider's doing, not someone stepping in. */
  { .name = "server-problem/self-signed-mail-trusted-webmail", .client = "thunderbird", .system = "linux",
    .endpoints = { CERT ("smtps://mail.example.net:465", "CN=mail.example.net", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   CERT ("imaps://mail.example.net:993", "CN=mail.example.net", G_TLS_CERTIFICATE_UNKNOWN_CA, 0, 0),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support", "webmail" } },
  /* No STARTTLS and no other port: the server's configuration. */
  { .name = "server-problem/no-starttls", .client = "thunderbird", .system = "linux",
    .endpoints = { { "smtp://mail.example.net:587", MTC_STATUS_NO_STARTTLS, "nnnn", "", 0, 0, 0 },
                   { "imap://mail.example.net:143", MTC_STATUS_NO_STARTTLS, "nnnn", "", 0, 0, 0 } },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support" } },
  { .name = "server-problem/busy", .client = "apple-mail", .system = "macos-10.14",
    .endpoints = { { "smtp://mail.example.net:587", MTC_STATUS_BUSY, "eeee", "", 0, 0, 0 },
                   { "smtps://mail.example.net:465", MTC_STATUS_TLS_ERROR, "eeee", "", 0, 0, 0 },
                   OK ("imaps://mail.example.net:993", "--++"),
                   OK ("https://webmail.example.net:443", "--++") },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support", "webmail" } },

  /* A TLS-1.0-only provider; this computer's policy forbids 1.0 and 1.1, and
   * Evolution uses that same policy. */
  { .name = "locally-disabled/this-computer", .client = "evolution", .system = "linux", .local = "--++",
    .endpoints = { { "smtps://mail.example.net:465", MTC_STATUS_TLS_ERROR, "nn--", "", 0, 0, 0 },
                   { "imaps://mail.example.net:993", MTC_STATUS_TLS_ERROR, "nn--", "", 0, 0, 0 },
                   { "https://webmail.example.net:443", MTC_STATUS_TLS_ERROR, "nn--", "", 0, 0, 0 } },
    .expected = MTC_VERDICT_LOCALLY_DISABLED, .steps = { "support" } },
  /* Thunderbird brings its own TLS library: this computer only cannot tell. */
  { .name = "locally-disabled/own-library", .client = "thunderbird", .system = "linux", .local = "--++",
    .endpoints = { { "smtps://mail.example.net:465", MTC_STATUS_TLS_ERROR, "nn--", "", 0, 0, 0 },
                   { "imaps://mail.example.net:993", MTC_STATUS_TLS_ERROR, "nn--", "", 0, 0, 0 } },
    .expected = MTC_VERDICT_LOCALLY_DISABLED, .steps = { "support" }, .cannot_test = TRUE },
  /* Checking for an old Mac from a computer that refuses TLS 1.0. */
  { .name = "locally-disabled/cannot-test-for-old-mac", .client = "apple-mail", .system = "macos-10.11",
    .other_computer = TRUE, .local = "--++", .endpoints = { PROVIDER ("nn++") },
    .expected = MTC_VERDICT_LOCALLY_DISABLED, .steps = { "support" }, .cannot_test = TRUE },
  /* … unless the provider's profile settles it: TLS 1.2 minimum. */
  { .name = "client-too-old/profile-settles-it", .client = "apple-mail", .system = "macos-10.11",
    .other_computer = TRUE, .local = "--++", .min_version = "1.2", .endpoints = { PROVIDER ("nn++") },
    .expected = MTC_VERDICT_CLIENT_TOO_OLD, .steps = { "webmail", "upgrade", "other-client", "support" } },

  /* Words that say no more than was found: TLS 1.0 only is not "1.0 and newer". */
  { .name = "all-good/tls-1.0-only", .client = "apple-mail", .system = "macos-10.11", .other_computer = TRUE,
    .endpoints = { PROVIDER ("+---") }, .expected = MTC_VERDICT_ALL_GOOD,
    .steps = { "settings", "upgrade", "other-client", "support" }, .may_stop = TRUE },
  /* Every handshake ends with internal_error: said once, as such. */
  { .name = "server-problem/internal-error-everywhere", .client = "thunderbird", .system = "linux",
    .endpoints = { INTERNAL_ERROR ("smtps://mail.example.net:465"), INTERNAL_ERROR ("imaps://mail.example.net:993") },
    .expected = MTC_VERDICT_SERVER_PROBLEM, .steps = { "support" } },
  /* A TLS-1.3-only webmail: Safari on El Capitan reaches TLS 1.2 at most;
   * Firefox 78 there speaks 1.3.  Webmail is not offered as working now. */
  { .name = "client-too-old/tls-1.3-webmail-el-capitan", .client = "apple-mail", .system = "macos-10.11",
    .other_computer = TRUE,
    .endpoints = { OK ("smtp://mail.example.net:587", "--++"), OK ("smtps://mail.example.net:465", "--++"),
                   OK ("imap://mail.example.net:143", "--++"), OK ("imaps://mail.example.net:993", "--++"),
                   OK ("https://webmail.example.net:443", "---+") },
    .expected = MTC_VERDICT_CLIENT_TOO_OLD, .steps = { "upgrade", "webmail", "other-client", "support" } },
  /* The provider's stated minimum counts: the servers still complete TLS 1.0,
   * the profile says 1.2. */
  { .name = "client-too-old/stated-minimum-el-capitan", .client = "apple-mail", .system = "macos-10.11",
    .other_computer = TRUE, .min_version = "1.2", .provider_name = "Example Mail",
    .endpoints = { LEGACY_PROVIDER }, .expected = MTC_VERDICT_CLIENT_TOO_OLD,
    .steps = { "webmail", "upgrade", "other-client", "support" } },
  /* Thunderbird sends through port 25, which this network blocks; 587 and
   * 465 work: change the port (to 465, encrypted from the first byte). */
  { .name = "wrong-settings/port-25", .client = "thunderbird", .system = "linux",
    .account = "thunderbird 128.5.0 imaps://mail.example.net:993 smtp://mail.example.net:25",
    .endpoints = { MODERN_PROVIDER, FAILED ("smtp://mail.example.net:25", MTC_STATUS_REFUSED) },
    .expected = MTC_VERDICT_WRONG_SETTINGS, .steps = { "change-setting", "support" } },
  /* SSL/TLS set on 587, where the server speaks plain text first: STARTTLS. */
  { .name = "wrong-settings/ssl-on-587", .client = "thunderbird", .system = "linux",
    .account = "thunderbird 115.18.0 imaps://mail.example.net:993 smtps://mail.example.net:587",
    .endpoints = { MODERN_PROVIDER, FAILED ("smtps://mail.example.net:587", MTC_STATUS_NOT_TLS) },
    .expected = MTC_VERDICT_WRONG_SETTINGS, .steps = { "change-setting", "support" } },
  /* No encryption set for receiving, where the provider states TLS 1.2. */
  { .name = "wrong-settings/none-required", .client = "thunderbird", .system = "linux", .min_version = "1.2",
    .account = "thunderbird 128.5.0 none:imap://mail.example.net:143 smtps://mail.example.net:465",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_WRONG_SETTINGS,
    .steps = { "change-setting", "support" } },
  /* security.tls.version.max=1 against a provider of TLS 1.2 and newer. */
  { .name = "wrong-settings/tls-version-max", .client = "thunderbird", .system = "linux",
    .account = "thunderbird 128.5.0 imaps://mail.example.net:993 smtps://mail.example.net:465 max=1",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_WRONG_SETTINGS,
    .steps = { "change-setting", "support" } },
  /* security.tls.version.min=4 against a provider of TLS 1.2 only. */
  { .name = "wrong-settings/tls-version-min", .client = "thunderbird", .system = "linux",
    .account = "thunderbird 128.5.0 imaps://mail.example.net:993 smtps://mail.example.net:465 min=4",
    .endpoints = { PROVIDER ("--+-") }, .expected = MTC_VERDICT_WRONG_SETTINGS,
    .steps = { "change-setting", "support" } },
  /* Evolution with a mistyped server name for sending. */
  { .name = "wrong-settings/evolution-host", .client = "evolution", .system = "linux",
    .account = "evolution 3.46.4 imaps://mail.example.net:993 smtp://mail.exmaple.net:587",
    .endpoints = { MODERN_PROVIDER, FAILED ("smtp://mail.exmaple.net:587", MTC_STATUS_DNS_ERROR) },
    .expected = MTC_VERDICT_WRONG_SETTINGS, .steps = { "change-setting", "support" } },
  /* A correct account: the verdict without it. */
  { .name = "all-good/thunderbird-account", .client = "thunderbird", .system = "linux",
    .account = "thunderbird 128.5.0 imaps://mail.example.net:993 smtps://mail.example.net:465 max=4",
    .endpoints = { MODERN_PROVIDER }, .expected = MTC_VERDICT_ALL_GOOD, .steps = { "settings", "support" } },
};

static G_GNUC_UNUSED GDateTime *
case_time (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static G_GNUC_UNUSED MtcDiagnosis *
case_diagnosis (const VerdictCase *c)
{
  MtcDiagnosis *diagnosis = mtc_diagnosis_new ();
  g_autoptr(GDateTime) reference = case_time (CASE_NOW);
  const char *local = c->local != NULL ? c->local : "++++";

  diagnosis->local = mtc_local_info_new ();
  diagnosis->local->os = g_strdup ("Test OS");
  diagnosis->local->tls_library = g_strdup ("GnuTLS (test)");
  for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
    diagnosis->local->versions_available[v] = local[v] == '+';

  for (gsize i = 0; i < G_N_ELEMENTS (c->endpoints) && c->endpoints[i].url != NULL; i++)
    {
      const EndpointSpec *spec = &c->endpoints[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(MtcEndpoint) endpoint = mtc_endpoint_parse (spec->url, &error);
      MtcEndpointResult *result;

      g_assert_no_error (error);
      result = mtc_endpoint_result_new (endpoint);
      result->status = spec->status;
      if (spec->status != MTC_STATUS_OK)
        result->detail = g_strdup ("what the prober said");
      for (int v = 0; v < MTC_N_TLS_VERSIONS; v++)
        {
          switch (spec->versions[v])
            {
            case '+':
              result->versions[v] = MTC_VERSION_ACCEPTED;
              result->negotiated_version = v;
              break;
            case '-':
              result->versions[v] = MTC_VERSION_REJECTED;
              break;
            case 'e':
              result->versions[v] = MTC_VERSION_ERROR;
              if (spec->failure != NULL)
                {
                  g_autofree char *label = g_strdup_printf ("TLS %s", mtc_tls_version_to_string (v));
                  g_auto(GStrv) parts = g_strsplit (spec->failure, "%s", 2);

                  result->version_details[v] = g_strjoinv (label, parts);
                  result->version_reasons[v] = g_strdup (spec->reason);
                  /* The prober words an endpoint by its first failed version. */
                  if (v == 0)
                    {
                      g_free (result->detail);
                      result->detail = g_strdup (result->version_details[v]);
                    }
                }
              break;
            default:
              result->versions[v] = MTC_VERSION_NOT_TESTED;
            }
        }
      if (spec->issuer == NULL || *spec->issuer != '\0')
        {
          MtcCertInfo *cert = g_new0 (MtcCertInfo, 1);
          gboolean defaults = spec->valid_from_days == 0 && spec->valid_until_days == 0;

          cert->subject = g_strdup_printf ("CN=%s", endpoint->host);
          cert->issuer = g_strdup (spec->issuer != NULL ? spec->issuer : CASE_ISSUER);
          cert->errors = spec->errors;
          cert->not_before = g_date_time_add_days (reference, defaults ? -30 : spec->valid_from_days);
          cert->not_after = g_date_time_add_days (reference, defaults ? 60 : spec->valid_until_days);
          cert->dns_names = g_strsplit (endpoint->host, " ", -1);
          result->certificate = cert;
        }
      g_ptr_array_add (diagnosis->results, result);
    }
  return diagnosis;
}

static G_GNUC_UNUSED MtcUserSide *
case_user (const VerdictCase *c)
{
  MtcUserSide *user = mtc_user_side_new ();

  user->client_id = g_strdup (c->client);
  user->system_id = g_strdup (c->system);
  user->mac_model = g_strdup (c->model);
  user->email_address = g_strdup (c->email);
  user->this_computer = !c->other_computer;
  return user;
}

/* The case's account, and its servers' probes marked as set in its program. */
static G_GNUC_UNUSED MtcAccount *
case_account (const VerdictCase *c,
              MtcDiagnosis      *diagnosis)
{
  g_auto(GStrv) words = NULL;
  MtcAccount *account;

  if (c->account == NULL)
    return NULL;
  words = g_strsplit (c->account, " ", -1);
  account = mtc_account_new (words[0], "/home/test/settings");
  account->program_version = g_strdup (words[1]);
  account->address = g_strdup ("alice@example.net");
  for (guint i = 2; words[i] != NULL; i++)
    {
      gboolean none = g_str_has_prefix (words[i], "none:");
      const char *url = none ? words[i] + strlen ("none:") : words[i];
      g_autoptr(MtcEndpoint) endpoint = NULL;
      g_autoptr(GError) error = NULL;
      MtcAccountServer *server;

      if (g_str_has_prefix (words[i], "max="))
        {
          account->tls_version_max = atoi (words[i] + 4);
          continue;
        }
      if (g_str_has_prefix (words[i], "min="))
        {
          account->tls_version_min = atoi (words[i] + 4);
          continue;
        }
      endpoint = mtc_endpoint_parse (url, &error);
      g_assert_no_error (error);
      server = mtc_account_server_new (endpoint->protocol == MTC_PROTOCOL_SMTP ? MTC_ACCOUNT_SERVER_SMTP
                                       : endpoint->protocol == MTC_PROTOCOL_IMAP ? MTC_ACCOUNT_SERVER_IMAP
                                       : MTC_ACCOUNT_SERVER_POP3,
                                       endpoint->host, endpoint->port,
                                       none ? MTC_ACCOUNT_SECURITY_NONE
                                       : endpoint->security == MTC_SECURITY_IMPLICIT ? MTC_ACCOUNT_SECURITY_SSL_TLS
                                       : MTC_ACCOUNT_SECURITY_STARTTLS);
      if (endpoint->protocol == MTC_PROTOCOL_SMTP)
        account->outgoing = server;
      else
        account->incoming = server;
      for (guint r = 0; r < diagnosis->results->len; r++)
        {
          MtcEndpointResult *result = g_ptr_array_index (diagnosis->results, r);
          g_autofree char *result_url = mtc_endpoint_to_url (result->endpoint);

          if (g_strcmp0 (result_url, url) == 0)
            {
              g_free (result->endpoint->configured_in);
              result->endpoint->configured_in = g_strdup (account->program);
            }
        }
    }
  return account;
}

static G_GNUC_UNUSED MtcProviderHints *
case_hints (const VerdictCase *c)
{
  MtcProviderHints *hints;

  if (c->expected_issuer == NULL && c->webmail == NULL && c->min_version == NULL && c->provider_name == NULL
      && c->starttls_published[0] == NULL)
    return NULL;
  hints = mtc_provider_hints_new ();
  hints->expected_issuer = g_strdup (c->expected_issuer);
  hints->webmail_url = g_strdup (c->webmail);
  hints->provider_name = g_strdup (c->provider_name);
  for (gsize i = 0; i < G_N_ELEMENTS (c->starttls_published) && c->starttls_published[i] != NULL; i++)
    {
      if (hints->starttls_published == NULL)
        hints->starttls_published = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (hints->starttls_published, g_strdup (c->starttls_published[i]));
    }
  if (c->min_version != NULL)
    hints->min_version = mtc_tls_version_from_string (c->min_version);
  return hints;
}

static G_GNUC_UNUSED MtcVerdict *
case_verdict (const VerdictCase *c,
              MtcKnowledge      *knowledge)
{
  g_autoptr(MtcDiagnosis) diagnosis = case_diagnosis (c);
  g_autoptr(MtcUserSide) user = case_user (c);
  g_autoptr(MtcProviderHints) hints = case_hints (c);
  g_autoptr(GDateTime) now = case_time (c->now != NULL ? c->now : CASE_NOW);

  user->account = case_account (c, diagnosis);

  return mtc_verdict_decide_at (diagnosis, user, hints, knowledge, now);
}
