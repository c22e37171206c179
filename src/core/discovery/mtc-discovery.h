/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "mtc-address.h"
#include "mtc-endpoint.h"
#include "mtc-provider.h"

G_BEGIN_DECLS

/* From an e-mail address to the endpoints of its mail servers.  All sources
 * are asked at once, each with its own deadline; the best one that found
 * something wins, in this order. */
typedef enum {
  MTC_DISCOVERY_SOURCE_PROFILE,       /* a provider profile lists the domain (no network at all) */
  MTC_DISCOVERY_SOURCE_AUTOCONFIG,    /* the provider's autoconfig file (Thunderbird's format) */
  MTC_DISCOVERY_SOURCE_ISPDB,         /* Thunderbird's provider database, by the domain, then by the MX
                                       * host's registered domain (sends only the domain) */
  MTC_DISCOVERY_SOURCE_SRV,           /* RFC 6186 / RFC 8314 SRV records */
  MTC_DISCOVERY_SOURCE_MX,            /* a guess: the domain's incoming mail server on the six mail ports */
  MTC_DISCOVERY_SOURCE_COMMON_NAMES,  /* a guess: mail., smtp., imap., pop. + domain, where they exist */
  MTC_DISCOVERY_N_SOURCES,
} MtcDiscoverySource;

/* Autoconfig: the largest file read (the rest is not read at all), and the
 * most redirects followed. */
#define MTC_AUTOCONFIG_MAX_SIZE (256 * 1024)
#define MTC_AUTOCONFIG_MAX_REDIRECTS 5
#define MTC_DISCOVERY_DEFAULT_TIMEOUT_MS 10000

/* Testing hooks (honoured only with MTC_HOSTS_FILE set, see
 * mtc-hosts-resolver.h): the loopback web server of a test cannot listen on
 * ports 443 and 80. */
#define MTC_AUTOCONFIG_HTTPS_PORT_ENV "MTC_AUTOCONFIG_HTTPS_PORT"
#define MTC_AUTOCONFIG_HTTP_PORT_ENV "MTC_AUTOCONFIG_HTTP_PORT"

/* Thunderbird's provider database (ISPDB): the file for a domain is
 * MTC_ISPDB_URL + the domain.  Source: Thunderbird's "Autoconfiguration in
 * Thunderbird" (/work/shared/KNOWLEDGE.md, "Thunderbird's own lookup order").
 * A testing hook (also only with MTC_HOSTS_FILE set) puts a loopback
 * stand-in in its place: MTC_ISPDB_URL_ENV, an https URL ending in "/". */
#define MTC_ISPDB_URL "https://autoconfig.thunderbird.net/v1.1/"
#define MTC_ISPDB_URL_ENV "MTC_ISPDB_URL"

typedef struct {
  MtcDiscoverySource source;    /* the source that won */
  MtcEmailAddress *address;
  GPtrArray *endpoints;         /* of MtcEndpoint, each with its source; empty for the demo profile */
  MtcProvider *provider;        /* the matching profile (source PROFILE), or NULL */
  char *display_name;           /* the provider's name from its profile or autoconfig file, or NULL */
  char *webmail_url;            /* or NULL */
  char *username;               /* what the autoconfig file says to enter as user name, or NULL */
  GPtrArray *starttls_published; /* of char *: ASCII URLs the autoconfig file lists with socketType
                                 * STARTTLS, or NULL */
  gboolean guess;               /* the servers are guessed (MX, common names), not published */
  char *notes[MTC_DISCOVERY_N_SOURCES]; /* what each source found or why not (localised), or NULL */
  gboolean offline;             /* nothing found because nothing could be asked: no source got any
                                 * answer (mtc_discovery_dup_failure()) */
} MtcDiscoveryResult;

#define MTC_TYPE_DISCOVERY (mtc_discovery_get_type ())
G_DECLARE_FINAL_TYPE (MtcDiscovery, mtc_discovery, MTC, DISCOVERY, GObject)

MtcDiscovery       *mtc_discovery_new                   (void);
void                mtc_discovery_set_resolver          (MtcDiscovery        *self,
                                                         GResolver           *resolver);
void                mtc_discovery_set_session           (MtcDiscovery        *self,
                                                         SoupSession         *session);
void                mtc_discovery_set_timeout           (MtcDiscovery        *self,
                                                         guint                timeout_ms);
void                mtc_discovery_set_autoconfig_ports  (MtcDiscovery        *self,
                                                         guint16              https_port,
                                                         guint16              http_port);
void                mtc_discovery_set_ispdb_url         (MtcDiscovery        *self,
                                                         const char          *url);
void                mtc_discovery_set_network_monitor   (MtcDiscovery        *self,
                                                         GNetworkMonitor     *monitor);
void                mtc_discovery_set_providers         (MtcDiscovery        *self,
                                                         GPtrArray           *providers);
void                mtc_discovery_run_async             (MtcDiscovery        *self,
                                                         const char          *address,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MtcDiscoveryResult *mtc_discovery_run_finish            (MtcDiscovery        *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

MtcDiscoveryResult *mtc_discovery_dup_failure           (MtcDiscovery        *self);

MtcDiscoveryResult *mtc_discovery_parse_autoconfig      (const char             *data,
                                                         gsize                   length,
                                                         const MtcEmailAddress  *address,
                                                         const char             *url,
                                                         GError                **error);
const char         *mtc_discovery_source_to_string      (MtcDiscoverySource   source);
const char         *mtc_discovery_source_describe       (MtcDiscoverySource   source);
void                mtc_discovery_result_free           (MtcDiscoveryResult  *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcDiscoveryResult, mtc_discovery_result_free)

G_END_DECLS
