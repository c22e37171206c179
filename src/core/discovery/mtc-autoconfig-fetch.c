/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The autoconfig source: the provider's autoconfig file from the four
 * places Thunderbird asks, over https first, then over http, each round
 * with its own deadline.  Redirects are followed here, bounded, and never
 * from https to http; the file is read up to MTC_AUTOCONFIG_MAX_SIZE.
 *
 * The ISPDB source, the same download of the same format: Thunderbird's
 * provider database, first for the domain, then, when it has no file for
 * it, for the registered domain of the domain's mail server (MX), each
 * round with its own deadline; only https, and only the domain is sent.
 * That is Thunderbird's own order: the provider's autoconfig, the ISPDB,
 * the ISPDB by the MX host's domain (Thunderbird's "Autoconfiguration in
 * Thunderbird", cited in /work/shared/KNOWLEDGE.md; comm-central
 * mail/components/accountcreation/FetchConfig, fetchConfigForMX). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>


#include "mtc-deadline.h"
#include "mtc-discovery-private.h"

#define N_AUTOCONFIG_URLS 4
#define URLS_PER_ROUND 2
/* The ISPDB's two places: by the domain, by the mail server's domain. */
#define ISPDB_BY_DOMAIN 0
#define ISPDB_BY_MX 1

typedef enum {
  ATTEMPT_PENDING,
  ATTEMPT_FOUND,
  ATTEMPT_FAILED,
} AttemptState;

typedef struct {
  AttemptState state;
  GUri *uri;
  MtcDiscoveryResult *parsed;
} Attempt;

/* The task data. */
typedef struct {
  MtcDiscoverySource kind;  /* AUTOCONFIG or ISPDB */
  SoupSession *session;
  GResolver *resolver;      /* ISPDB: for the MX record */
  char *ispdb_url;
  gboolean mx_pending;      /* ISPDB: the MX record is being looked up */
  char *mx_domain;          /* ISPDB: the mail server's registered domain, when not the address's */
  MtcEmailAddress *address;
  guint16 https_port;
  guint16 http_port;
  guint timeout_ms;
  GPtrArray *notes;
  MtcDiscoveryTally *tally;
  MtcDeadline *deadline;    /* the current round's */
  Attempt attempts[N_AUTOCONFIG_URLS];
  guint round;              /* autoconfig: 0 https, 1 http; ISPDB: 0 by domain, 1 by MX */
  gboolean returned;
} Lookup;

/* One download, redirects and all; holds the task. */
typedef struct {
  GTask *task;
  guint index;              /* into attempts */
  GCancellable *cancellable;
  GUri *uri;                /* where the current request goes */
  guint n_redirects;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *body;
} Fetch;

static void fetch_send (Fetch *fetch);
static void start_round (GTask *task);

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->session);
  g_clear_object (&lookup->resolver);
  g_free (lookup->ispdb_url);
  g_free (lookup->mx_domain);
  mtc_email_address_free (lookup->address);
  g_clear_pointer (&lookup->notes, g_ptr_array_unref);
  g_clear_pointer (&lookup->tally, mtc_discovery_tally_unref);
  g_clear_pointer (&lookup->deadline, mtc_deadline_free);
  for (int i = 0; i < N_AUTOCONFIG_URLS; i++)
    {
      g_clear_pointer (&lookup->attempts[i].uri, g_uri_unref);
      g_clear_pointer (&lookup->attempts[i].parsed, mtc_discovery_result_free);
    }
  g_free (lookup);
}

/* The attempts of the current round: [*first, *first + *count). */
static void
round_range (Lookup *lookup,
             guint  *first,
             guint  *count)
{
  *count = lookup->kind == MTC_DISCOVERY_SOURCE_ISPDB ? 1 : URLS_PER_ROUND;
  *first = lookup->round * *count;
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->task);
  g_clear_object (&fetch->cancellable);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch);
}

/* Ends the operation with the file found, or with nothing. */
static void
lookup_return (GTask              *task,
               MtcDiscoveryResult *result)
{
  Lookup *lookup = g_task_get_task_data (task);

  lookup->returned = TRUE;
  if (lookup->deadline != NULL)
    mtc_deadline_cancel (lookup->deadline);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) mtc_discovery_result_free);
  else if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The search was cancelled."));
  else
    g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_NOT_FOUND, "%s",
                             lookup->kind == MTC_DISCOVERY_SOURCE_ISPDB ? "no ISPDB file" : "no autoconfig file");
}

/* Decides once the better attempts of the round have answered: the first
 * place that has the file wins, in order; when none has, the next round
 * (the ISPDB's waits for the MX record, and asks only for another domain). */
static void
update (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  guint first, count;

  if (lookup->returned)
    return;
  round_range (lookup, &first, &count);
  for (guint i = first; i < first + count; i++)
    {
      if (lookup->attempts[i].state == ATTEMPT_PENDING)
        return;
      if (lookup->attempts[i].state == ATTEMPT_FOUND)
        {
          lookup_return (task, g_steal_pointer (&lookup->attempts[i].parsed));
          return;
        }
    }
  if (lookup->kind == MTC_DISCOVERY_SOURCE_ISPDB && lookup->round == 0 && lookup->mx_pending && !cancelled)
    return;
  if (lookup->round == 0 && !cancelled
      && (lookup->kind == MTC_DISCOVERY_SOURCE_AUTOCONFIG || lookup->mx_domain != NULL))
    {
      lookup->round = 1;
      start_round (task);
      return;
    }
  lookup_return (task, NULL);
}

/* Whether the download still matters; when the caller cancelled, the
 * operation ends here. */
static gboolean
fetch_wanted (Fetch *fetch)
{
  Lookup *lookup = g_task_get_task_data (fetch->task);

  if (lookup->returned || lookup->attempts[fetch->index].state != ATTEMPT_PENDING)
    return FALSE;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (fetch->task)))
    {
      lookup->attempts[fetch->index].state = ATTEMPT_FAILED;
      update (fetch->task);
      return FALSE;
    }
  return TRUE;
}

/* Ends one attempt, with what it parsed or why it failed; ANSWERED: some
 * server answered (else the caller counted the failure in the tally). */
static void
fetch_done (Fetch              *fetch,
            MtcDiscoveryResult *parsed,
            const char         *problem,
            gboolean            answered)
{
  g_autoptr(GTask) task = g_object_ref (fetch->task);
  Lookup *lookup = g_task_get_task_data (task);
  Attempt *attempt = &lookup->attempts[fetch->index];
  g_autofree char *url = g_uri_to_string_partial (attempt->uri, G_URI_HIDE_QUERY);

  if (answered)
    mtc_discovery_tally_add (lookup->tally, NULL);
  if (parsed != NULL)
    {
      attempt->state = ATTEMPT_FOUND;
      attempt->parsed = parsed;
      mtc_discovery_note (lookup->notes, lookup->kind,
                          /* TRANSLATORS: what an autoconfig file gave: its address, and how many servers
                           * it lists */
                          ngettext ("%s: %u server", "%s: %u servers", parsed->endpoints->len), url,
                          parsed->endpoints->len);
    }
  else
    {
      attempt->state = ATTEMPT_FAILED;
      mtc_discovery_note (lookup->notes, lookup->kind, "%s: %s", url, problem);
    }
  fetch_free (fetch);
  update (task);
}

static void
fetch_parse (Fetch *fetch)
{
  Lookup *lookup = g_task_get_task_data (fetch->task);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_uri_to_string_partial (fetch->uri, G_URI_HIDE_QUERY | G_URI_HIDE_USERINFO
                                                             | G_URI_HIDE_FRAGMENT);
  MtcDiscoveryResult *parsed = mtc_autoconfig_parse (lookup->kind, (const char *) fetch->body->data,
                                                     fetch->body->len, lookup->address, url, &error);

  fetch_done (fetch, parsed, error ? error->message : NULL, TRUE);
}

static void
fetch_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  g_autofree char *problem = NULL;

  if (!fetch_wanted (fetch))
    {
      fetch_free (fetch);
      return;
    }
  if (bytes == NULL)
    {
      problem = mtc_discovery_describe_error (error, FALSE);
      fetch_done (fetch, NULL, problem, TRUE);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      fetch_parse (fetch);
      return;
    }
  g_byte_array_append (fetch->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (fetch->body->len > MTC_AUTOCONFIG_MAX_SIZE)
    {
      /* Stop reading: the rest is never downloaded. */
      problem = g_strdup_printf (_("the file is larger than %d KiB"), MTC_AUTOCONFIG_MAX_SIZE / 1024);
      fetch_done (fetch, NULL, problem, TRUE);
      return;
    }
  g_input_stream_read_bytes_async (fetch->stream, 16 * 1024, G_PRIORITY_DEFAULT, fetch->cancellable, fetch_read_cb,
                                   fetch);
}

static gboolean
content_type_acceptable (const char *type)
{
  /* Absent, XML, or the text/plain some servers send for .xml files; never HTML. */
  return type == NULL || g_ascii_strcasecmp (type, "text/xml") == 0
         || g_ascii_strcasecmp (type, "application/xml") == 0 || g_ascii_strcasecmp (type, "text/plain") == 0;
}

/* Follows a redirect ourselves, so that the number is bounded and https is
 * never left for http. Returns: FALSE with PROBLEM set. */
static gboolean
fetch_redirect (Fetch  *fetch,
                char  **problem)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) target = NULL;
  const char *scheme;

  if (location == NULL)
    {
      *problem = g_strdup (_("it redirects without saying where to"));
      return FALSE;
    }
  if (++fetch->n_redirects > MTC_AUTOCONFIG_MAX_REDIRECTS)
    {
      *problem = g_strdup (_("it redirects too many times"));
      return FALSE;
    }
  target = g_uri_parse_relative (fetch->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = target ? g_uri_get_scheme (target) : NULL;
  if (target == NULL || g_uri_get_host (target) == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      *problem = g_strdup (_("it redirects to an address that is not a web address"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (fetch->uri), "https") == 0 && g_ascii_strcasecmp (scheme, "http") == 0)
    {
      *problem = g_strdup (_("it redirects from a secure to an insecure address"));
      return FALSE;
    }
  g_uri_unref (fetch->uri);
  fetch->uri = g_steal_pointer (&target);
  return TRUE;
}

static void
fetch_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *problem = NULL;
  SoupMessageHeaders *headers;
  const char *content_type;
  guint status;

  if (!fetch_wanted (fetch))
    {
      fetch_free (fetch);
      return;
    }
  if (stream == NULL)
    {
      Lookup *lookup = g_task_get_task_data (fetch->task);
      gboolean offline = mtc_discovery_tally_add (lookup->tally, error);

      problem = mtc_discovery_describe_error (error, offline);
      fetch_done (fetch, NULL, problem, FALSE);
      return;
    }
  status = soup_message_get_status (fetch->message);
  headers = soup_message_get_response_headers (fetch->message);
  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
    {
      if (!fetch_redirect (fetch, &problem))
        fetch_done (fetch, NULL, problem, TRUE);
      else
        fetch_send (fetch);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      /* TRANSLATORS: %u is an HTTP status code, %s its phrase, e.g. "404 Not Found" */
      problem = g_strdup_printf (_("the web server answered “%u %s”"), status,
                                 soup_message_get_reason_phrase (fetch->message)
                                 ? soup_message_get_reason_phrase (fetch->message) : "");
      fetch_done (fetch, NULL, problem, TRUE);
      return;
    }
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (!content_type_acceptable (content_type))
    {
      /* TRANSLATORS: why an autoconfig download is of no use; %s is the type the web server gave, such as
       * text/html */
      problem = g_strdup_printf (_("it is a web page or other file (%s), not an autoconfig file"), content_type);
      fetch_done (fetch, NULL, problem, TRUE);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > MTC_AUTOCONFIG_MAX_SIZE)
    {
      problem = g_strdup_printf (_("the file is larger than %d KiB"), MTC_AUTOCONFIG_MAX_SIZE / 1024);
      fetch_done (fetch, NULL, problem, TRUE);
      return;
    }
  fetch->stream = g_steal_pointer (&stream);
  fetch->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (fetch->stream, 16 * 1024, G_PRIORITY_DEFAULT, fetch->cancellable, fetch_read_cb,
                                   fetch);
}

static void
fetch_send (Fetch *fetch)
{
  Lookup *lookup = g_task_get_task_data (fetch->task);
  g_autofree char *url = g_uri_to_string_partial (fetch->uri, G_URI_HIDE_QUERY | G_URI_HIDE_USERINFO);

  /* Without the query: it holds the user's address. */
  g_debug ("discovery: %s: GET %s", mtc_discovery_source_to_string (lookup->kind), url);
  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri ("GET", fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message), "Accept",
                                "text/xml, application/xml");
  soup_session_send_async (lookup->session, fetch->message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           fetch_sent_cb, fetch);
}

/* The ISPDB's two places: the file for the domain, and the one for the
 * mail server's domain.  Only the domain goes out: ASCII (punycode), a host
 * name that the address's parser or libsoup's public-suffix list checked. */
static GUri *
ispdb_uri (Lookup *lookup,
           guint   index)
{
  g_autofree char *url = g_strconcat (lookup->ispdb_url,
                                      index == ISPDB_BY_MX ? lookup->mx_domain : lookup->address->domain, NULL);

  return g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
}

/* The four places, best first (Thunderbird's order): the autoconfig host,
 * then the domain's well-known path, over https, then the same over http. */
static GUri *
autoconfig_uri (Lookup *lookup,
                guint   index)
{
  gboolean https = index < 2;
  gboolean autoconfig_host = index % 2 == 0;
  g_autofree char *host = autoconfig_host ? g_strconcat ("autoconfig.", lookup->address->domain, NULL)
                                          : g_strdup (lookup->address->domain);
  g_autofree char *escaped = g_uri_escape_string (lookup->address->address_ascii, NULL, FALSE);
  g_autofree char *query = g_strconcat ("emailaddress=", escaped, NULL);
  guint16 port = https ? lookup->https_port : lookup->http_port;

  return g_uri_build (SOUP_HTTP_URI_FLAGS, https ? "https" : "http", NULL, host, port ? port : -1,
                      autoconfig_host ? "/mail/config-v1.1.xml" : "/.well-known/autoconfig/mail/config-v1.1.xml",
                      query, NULL);
}

/* The round's time is up: the places that did not answer are noted. */
static void
round_expired (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Lookup *lookup = g_task_get_task_data (task);
  g_autofree char *note = mtc_discovery_describe_timeout (lookup->timeout_ms);
  guint first, count;

  round_range (lookup, &first, &count);
  for (guint i = first; i < first + count; i++)
    if (lookup->attempts[i].state == ATTEMPT_PENDING)
      {
        g_autofree char *url = g_uri_to_string_partial (lookup->attempts[i].uri, G_URI_HIDE_QUERY);

        lookup->attempts[i].state = ATTEMPT_FAILED;
        mtc_discovery_tally_add_silent (lookup->tally);
        mtc_discovery_note (lookup->notes, lookup->kind, "%s: %s", url, note);
      }
  if (lookup->mx_pending)
    {
      lookup->mx_pending = FALSE;
      mtc_discovery_tally_add_silent (lookup->tally);
      /* TRANSLATORS: the MX record of the domain (its mail server), in the notes of Thunderbird's provider
       * database; %s says why it gave nothing */
      mtc_discovery_note (lookup->notes, lookup->kind, _("MX record: %s"), note);
    }
  update (task);
}

/* The ISPDB's MX question: the mail server with the lowest preference. */
static void
mx_looked_up_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  const char *best = NULL;
  guint16 best_preference = G_MAXUINT16;

  if (lookup->returned || !lookup->mx_pending)
    {
      g_list_free_full (records, (GDestroyNotify) g_variant_unref);
      return;
    }
  lookup->mx_pending = FALSE;
  if (records == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gboolean offline = mtc_discovery_tally_add (lookup->tally, error);
      g_autofree char *problem = mtc_discovery_describe_error (error, offline);

      mtc_discovery_note (lookup->notes, lookup->kind, _("MX record: %s"), problem);
    }
  else if (records != NULL)
    mtc_discovery_tally_add (lookup->tally, NULL);
  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 preference;
      const char *exchange;

      g_variant_get (l->data, "(q&s)", &preference, &exchange);
      if (best == NULL || preference < best_preference)
        {
          best = exchange;
          best_preference = preference;
        }
    }
  if (best != NULL)
    {
      /* A null MX (".") or an address has no registered domain. */
      const char *base = soup_tld_get_base_domain (best, NULL);
      g_autofree char *lower = base != NULL ? g_ascii_strdown (base, -1) : NULL;

      /* A stranger's name, put into a URL: letters, digits, "-" and "." only. */
      if (lower != NULL && strspn (lower, "abcdefghijklmnopqrstuvwxyz0123456789-.") == strlen (lower)
          && strcmp (lower, lookup->address->domain) != 0)
        {
          lookup->mx_domain = g_steal_pointer (&lower);
          /* TRANSLATORS: in the notes of Thunderbird's provider database; the first %s is the domain's mail
           * server (a host name), the second the domain it belongs to, which is then looked up too */
          mtc_discovery_note (lookup->notes, lookup->kind, _("the mail server %s belongs to %s"), best,
                              lookup->mx_domain);
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  update (task);
}

static void
start_round (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  guint first, count;
  GCancellable *cancellable;

  if (lookup->deadline != NULL)
    mtc_deadline_cancel (lookup->deadline);
  g_clear_pointer (&lookup->deadline, mtc_deadline_free);
  lookup->deadline = mtc_deadline_new (lookup->timeout_ms, g_task_get_cancellable (task),
                                       "[mtc] discovery deadline");
  mtc_deadline_set_expired_func (lookup->deadline, round_expired, task);
  cancellable = mtc_deadline_get_cancellable (lookup->deadline);

  round_range (lookup, &first, &count);
  if (lookup->kind == MTC_DISCOVERY_SOURCE_ISPDB && lookup->round == 0)
    {
      lookup->mx_pending = TRUE;
      g_resolver_lookup_records_async (lookup->resolver, lookup->address->domain, G_RESOLVER_RECORD_MX, cancellable,
                                       mx_looked_up_cb, g_object_ref (task));
    }
  for (guint i = first; i < first + count; i++)
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      lookup->attempts[i].state = ATTEMPT_PENDING;
      lookup->attempts[i].uri = lookup->kind == MTC_DISCOVERY_SOURCE_ISPDB ? ispdb_uri (lookup, i)
                                                                           : autoconfig_uri (lookup, i);
      fetch->task = g_object_ref (task);
      fetch->index = i;
      fetch->cancellable = g_object_ref (cancellable);
      fetch->uri = g_uri_ref (lookup->attempts[i].uri);
      fetch_send (fetch);
    }
}

/* A look-up of KIND, started once the caller has filled in what is its own. */
static GTask *
lookup_new (MtcDiscoverySource     kind,
            SoupSession           *session,
            const MtcEmailAddress *address,
            guint                  timeout_ms,
            GPtrArray             *notes,
            MtcDiscoveryTally     *tally,
            GCancellable          *cancellable,
            GAsyncReadyCallback    callback,
            gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, mtc_autoconfig_fetch_async);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  lookup->kind = kind;
  lookup->session = g_object_ref (session);
  lookup->address = mtc_email_address_copy (address);
  lookup->timeout_ms = timeout_ms;
  lookup->notes = g_ptr_array_ref (notes);
  lookup->tally = mtc_discovery_tally_ref (tally);
  return task;
}

void
mtc_autoconfig_fetch_async (SoupSession           *session,
                            const MtcEmailAddress *address,
                            guint16                https_port,
                            guint16                http_port,
                            guint                  timeout_ms,
                            GPtrArray             *notes,
                            MtcDiscoveryTally     *tally,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = lookup_new (MTC_DISCOVERY_SOURCE_AUTOCONFIG, session, address, timeout_ms, notes, tally,
                                      cancellable, callback, user_data);
  Lookup *lookup = g_task_get_task_data (task);

  lookup->https_port = https_port;
  lookup->http_port = http_port;
  start_round (task);
}

void
mtc_ispdb_fetch_async (SoupSession           *session,
                       GResolver             *resolver,
                       const char            *ispdb_url,
                       const MtcEmailAddress *address,
                       guint                  timeout_ms,
                       GPtrArray             *notes,
                       MtcDiscoveryTally     *tally,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = lookup_new (MTC_DISCOVERY_SOURCE_ISPDB, session, address, timeout_ms, notes, tally,
                                      cancellable, callback, user_data);
  Lookup *lookup = g_task_get_task_data (task);

  lookup->resolver = g_object_ref (resolver);
  lookup->ispdb_url = g_strdup (ispdb_url);
  start_round (task);
}

MtcDiscoveryResult *
mtc_autoconfig_fetch_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
