/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From an e-mail address to its mail servers: the MtcDiscovery object, the
 * profiles asked first (no network at all), and what the sources share.
 * The sources are mtc-autoconfig-fetch.c and mtc-dns-sources.c, the race
 * over them mtc-discovery-race.c, the autoconfig file's reader
 * mtc-autoconfig-parser.c. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-numbers.h"
#include "mtc-discovery-private.h"
#include "mtc-hosts-resolver.h"

struct _MtcDiscovery
{
  GObject parent_instance;

  GResolver *resolver;
  SoupSession *session;
  GPtrArray *providers;     /* of MtcProvider, or NULL for the built-in ones */
  GNetworkMonitor *monitor; /* or NULL for the default one */
  MtcDiscoveryResult *failure; /* what the last run found out when it found nothing, or NULL */
  guint timeout_ms;
  guint16 https_port;       /* 0: the standard port */
  guint16 http_port;
};

G_DEFINE_FINAL_TYPE (MtcDiscovery, mtc_discovery, G_TYPE_OBJECT)

/* ------------------------------------------------------------ results */

void
mtc_discovery_result_free (MtcDiscoveryResult *result)
{
  if (result == NULL)
    return;
  mtc_email_address_free (result->address);
  g_clear_pointer (&result->endpoints, g_ptr_array_unref);
  g_clear_object (&result->provider);
  g_free (result->display_name);
  g_free (result->webmail_url);
  g_free (result->username);
  g_clear_pointer (&result->starttls_published, g_ptr_array_unref);
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    g_free (result->notes[i]);
  g_free (result);
}

MtcDiscoveryResult *
mtc_discovery_result_new (MtcDiscoverySource     source,
                          const MtcEmailAddress *address)
{
  MtcDiscoveryResult *result = g_new0 (MtcDiscoveryResult, 1);

  result->source = source;
  result->address = address ? mtc_email_address_copy (address) : NULL;
  result->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  return result;
}

const char *
mtc_discovery_source_to_string (MtcDiscoverySource source)
{
  static const char *const names[] = { "profile", "autoconfig", "srv", "mx", "common-names" };

  g_return_val_if_fail (source < MTC_DISCOVERY_N_SOURCES, NULL);
  return names[source];
}

/* The source's name for people, translated: "Autoconfig", "MX record", … */
const char *
mtc_discovery_source_describe (MtcDiscoverySource source)
{
  static const char *const labels[] = { N_("Provider profile"), N_("Autoconfig"), N_("SRV records"),
                                        N_("MX record"), N_("Common names") };

  g_return_val_if_fail (source < MTC_DISCOVERY_N_SOURCES, NULL);
  return _(labels[source]);
}

/* Adds ENDPOINT (transfer full) unless one with the same URL is there. */
void
mtc_endpoints_add_unique (GPtrArray   *endpoints,
                          MtcEndpoint *endpoint)
{
  g_autofree char *url = mtc_endpoint_to_ascii_url (endpoint);

  for (guint i = 0; i < endpoints->len; i++)
    {
      g_autofree char *other = mtc_endpoint_to_ascii_url (g_ptr_array_index (endpoints, i));

      if (strcmp (url, other) == 0)
        {
          mtc_endpoint_free (endpoint);
          return;
        }
    }
  g_ptr_array_add (endpoints, endpoint);
}

/* Adds a note of SOURCE; with G_MESSAGES_DEBUG=mail-tls-check it is
 * logged as it comes. */
void
mtc_discovery_note (GPtrArray          *notes,
                    MtcDiscoverySource  source,
                    const char         *format,
                    ...)
{
  va_list args;
  char *note;

  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("discovery: %s: %s", mtc_discovery_source_to_string (source), note);
  g_ptr_array_add (notes, note);
}

char *
mtc_discovery_describe_timeout (guint timeout_ms)
{
  g_autofree char *seconds = mtc_seconds_describe (timeout_ms / 1000.0);

  /* TRANSLATORS: why a way of finding the servers gave nothing; %s is a
   * length of time, "10 seconds" */
  return g_strdup_printf (_("no answer within %s"), seconds);
}

/* Whether ERROR is how a question fails on a computer that cannot reach
 * the internet: a failing or silent name service, no route, no answer in
 * time; or "no such name" while the network monitor says there is no
 * network (a hint only: alone it proves nothing).  Other answers, "no such
 * record" and a refused connection too, are answers. */
static gboolean
error_is_offline (const GError *error,
                  gboolean      network_available)
{
  return g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || (!network_available && g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND));
}

MtcDiscoveryTally *
mtc_discovery_tally_new (gboolean network_available)
{
  MtcDiscoveryTally *tally = g_atomic_rc_box_new0 (MtcDiscoveryTally);

  tally->network_available = network_available;
  return tally;
}

MtcDiscoveryTally *
mtc_discovery_tally_ref (MtcDiscoveryTally *tally)
{
  return g_atomic_rc_box_acquire (tally);
}

void
mtc_discovery_tally_unref (MtcDiscoveryTally *tally)
{
  g_atomic_rc_box_release (tally);
}

/* Counts one question that ended with ERROR (NULL: an answer); TRUE when
 * it failed as on a computer without internet. */
gboolean
mtc_discovery_tally_add (MtcDiscoveryTally *tally,
                         const GError      *error)
{
  gboolean offline = error != NULL && error_is_offline (error, tally->network_available);

  if (offline)
    tally->n_unreachable++;
  else
    tally->n_answered++;
  return offline;
}

/* Counts one question that got no answer before its deadline. */
void
mtc_discovery_tally_add_silent (MtcDiscoveryTally *tally)
{
  tally->n_unreachable++;
}

/* A look-up or download error in plain words; OFFLINE: the question
 * failed as on a computer without internet (mtc_discovery_tally_add()). */
char *
mtc_discovery_describe_error (const GError *error,
                              gboolean      offline)
{
  if (offline && g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("could not be looked up: this computer has no network connection"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("no such record"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    return g_strdup (_("could not be looked up: the name service did not answer"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_strdup (_("could not be reached: this computer has no connection to it"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("nothing answers there"));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_strdup (_("its certificate is not trusted"));
  if (error->domain == G_TLS_ERROR)
    /* TRANSLATORS: why an autoconfig download failed; %s is the TLS library's message */
    return g_strdup_printf (_("no secure connection could be made (%s)"), error->message);
  return g_strdup (error->message);
}

/* ------------------------------------------------------------ the object */

static void
mtc_discovery_dispose (GObject *object)
{
  MtcDiscovery *self = MTC_DISCOVERY (object);

  g_clear_object (&self->resolver);
  g_clear_object (&self->session);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->failure, mtc_discovery_result_free);
  G_OBJECT_CLASS (mtc_discovery_parent_class)->dispose (object);
}

static void
mtc_discovery_class_init (MtcDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mtc_discovery_dispose;
}

static guint16
port_from_environment (const char *name)
{
  const char *text = g_getenv (name);
  guint64 port = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  return (guint16) port;
}

static void
mtc_discovery_init (MtcDiscovery *self)
{
  self->timeout_ms = MTC_DISCOVERY_DEFAULT_TIMEOUT_MS;
  if (mtc_testing_hooks_active ())
    {
      self->https_port = port_from_environment (MTC_AUTOCONFIG_HTTPS_PORT_ENV);
      self->http_port = port_from_environment (MTC_AUTOCONFIG_HTTP_PORT_ENV);
    }
}

MtcDiscovery *
mtc_discovery_new (void)
{
  return g_object_new (MTC_TYPE_DISCOVERY, NULL);
}

/* The resolver for SRV, MX and the common names (default: the default
 * resolver).  The autoconfig downloads resolve through libsoup, which uses
 * the default resolver. */
void
mtc_discovery_set_resolver (MtcDiscovery *self,
                            GResolver    *resolver)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_set_object (&self->resolver, resolver);
}

/* The session for the autoconfig downloads (default: a session of its own). */
void
mtc_discovery_set_session (MtcDiscovery *self,
                           SoupSession  *session)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_set_object (&self->session, session);
}

/* The deadline of each source; an autoconfig source may take it twice
 * (https, then http). */
void
mtc_discovery_set_timeout (MtcDiscovery *self,
                           guint         timeout_ms)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_return_if_fail (timeout_ms > 0);
  self->timeout_ms = timeout_ms;
}

/* Other ports than 443 and 80 for the autoconfig downloads; 0 for the
 * standard one.  For tests. */
void
mtc_discovery_set_autoconfig_ports (MtcDiscovery *self,
                                    guint16       https_port,
                                    guint16       http_port)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  self->https_port = https_port;
  self->http_port = http_port;
}

/* The network monitor asked, as a hint only, when no source got an answer
 * (default: the default monitor). */
void
mtc_discovery_set_network_monitor (MtcDiscovery    *self,
                                   GNetworkMonitor *monitor)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));
  g_set_object (&self->monitor, monitor);
}

void
mtc_discovery_set_failure (MtcDiscovery       *self,
                           MtcDiscoveryResult *failure)
{
  g_clear_pointer (&self->failure, mtc_discovery_result_free);
  self->failure = failure;
}

/**
 * mtc_discovery_dup_failure:
 *
 * What the last run found out when it found no servers
 * (%MTC_ERROR_NOT_FOUND or %MTC_ERROR_OFFLINE): the address, every
 * source's notes, and whether nothing could be asked at all (offline).
 *
 * Returns: (transfer full) (nullable): a result without endpoints, or %NULL
 *   when the last run found servers or has not ended
 */
MtcDiscoveryResult *
mtc_discovery_dup_failure (MtcDiscovery *self)
{
  MtcDiscoveryResult *copy;

  g_return_val_if_fail (MTC_IS_DISCOVERY (self), NULL);
  if (self->failure == NULL)
    return NULL;
  copy = mtc_discovery_result_new (self->failure->source, self->failure->address);
  copy->offline = self->failure->offline;
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    copy->notes[i] = g_strdup (self->failure->notes[i]);
  return copy;
}

/**
 * mtc_discovery_set_providers:
 * @providers: (element-type MtcProvider) (nullable): the profiles whose
 *   domains are matched first; %NULL for the built-in ones
 */
void
mtc_discovery_set_providers (MtcDiscovery *self,
                             GPtrArray    *providers)
{
  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  if (providers != NULL)
    self->providers = g_ptr_array_ref (providers);
}

/**
 * mtc_discovery_run_async:
 * @address: an e-mail address as the user typed it
 *
 * Finds the mail servers for @address.  A provider profile that lists the
 * domain answers at once, without any network access.  Otherwise
 * autoconfig, SRV records, the MX record and the common names are asked at
 * once; the best that found something wins.  The only personal data sent
 * is the address, in the autoconfig query (`?emailaddress=`), as
 * Thunderbird does.
 */
void
mtc_discovery_run_async (MtcDiscovery        *self,
                         const char          *address,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MtcEmailAddress) parsed = NULL;
  g_autoptr(GPtrArray) builtin = NULL;
  GPtrArray *providers;
  MtcProvider *provider;
  GError *error = NULL;
  MtcDiscoverySettings settings;

  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  mtc_discovery_set_failure (self, NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mtc_discovery_run_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  parsed = mtc_email_address_parse (address, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  providers = self->providers;
  if (providers == NULL)
    {
      builtin = mtc_provider_list_builtin (&error);
      if (builtin == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      providers = builtin;
    }
  provider = mtc_provider_find_for_domain (providers, parsed->domain);
  if (provider != NULL)
    {
      MtcDiscoveryResult *result = mtc_discovery_result_new (MTC_DISCOVERY_SOURCE_PROFILE, parsed);

      g_debug ("discovery: profile: %s lists %s; nothing asked on the network", mtc_provider_get_id (provider),
               parsed->domain);
      g_ptr_array_extend_and_steal (result->endpoints, mtc_provider_dup_endpoints (provider));
      result->provider = g_object_ref (provider);
      result->display_name = g_strdup (mtc_provider_get_name (provider));
      result->webmail_url = g_strdup (mtc_provider_get_webmail_url (provider));
      result->guess = mtc_provider_has_candidates (provider);
      /* TRANSLATORS: %s is a provider's name */
      result->notes[MTC_DISCOVERY_SOURCE_PROFILE] = g_strdup_printf (_("the domain belongs to %s"),
                                                                     mtc_provider_get_name (provider));
      g_task_return_pointer (task, result, (GDestroyNotify) mtc_discovery_result_free);
      return;
    }

  g_debug ("discovery: profile: none lists %s", parsed->domain);
  settings.resolver = self->resolver ? g_object_ref (self->resolver) : g_resolver_get_default ();
  settings.session = self->session ? g_object_ref (self->session)
                                   : soup_session_new_with_options ("user-agent", "Mail TLS Check/" PACKAGE_VERSION,
                                                                    NULL);
  settings.timeout_ms = self->timeout_ms;
  settings.https_port = self->https_port;
  settings.http_port = self->http_port;
  settings.monitor = self->monitor ? g_object_ref (self->monitor) : g_object_ref (g_network_monitor_get_default ());
  mtc_discovery_race (g_steal_pointer (&task), &settings, g_steal_pointer (&parsed));
  g_object_unref (settings.monitor);
  g_object_unref (settings.resolver);
  g_object_unref (settings.session);
}

/**
 * mtc_discovery_run_finish:
 *
 * Returns: (transfer full): the endpoints and where they came from, or
 *   %NULL with %MTC_ERROR_INVALID_TARGET (the address is not valid),
 *   %MTC_ERROR_NOT_FOUND (no source found anything; the message says what
 *   each one answered), %MTC_ERROR_OFFLINE (no source got any answer: this
 *   computer cannot look up names or reach the internet) or
 *   %G_IO_ERROR_CANCELLED.  After the last two,
 *   mtc_discovery_dup_failure() has every source's notes.
 */
MtcDiscoveryResult *
mtc_discovery_run_finish (MtcDiscovery  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
