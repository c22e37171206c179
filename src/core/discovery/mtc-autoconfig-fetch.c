/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The autoconfig source: the provider's autoconfig file from the four
 * places Thunderbird asks, over https first, then over http, each round
 * with its own deadline.  Redirects are followed here, bounded, and never
 * from https to http; the file is read up to MTC_AUTOCONFIG_MAX_SIZE. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mtc-deadline.h"
#include "mtc-discovery-private.h"

#define N_AUTOCONFIG_URLS 4
#define URLS_PER_ROUND 2

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
  SoupSession *session;
  MtcEmailAddress *address;
  guint16 https_port;
  guint16 http_port;
  guint timeout_ms;
  GPtrArray *notes;
  MtcDiscoveryTally *tally;
  MtcDeadline *deadline;    /* the current round's */
  Attempt attempts[N_AUTOCONFIG_URLS];
  guint round;              /* 0 https, 1 http */
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
    g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_NOT_FOUND, "%s", "no autoconfig file");
}

/* Decides once the better attempts of the round have answered: the first
 * place that has the file wins, in order; when none has, the next round. */
static void
update (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  guint first = lookup->round * URLS_PER_ROUND;

  if (lookup->returned)
    return;
  for (guint i = first; i < first + URLS_PER_ROUND; i++)
    {
      if (lookup->attempts[i].state == ATTEMPT_PENDING)
        return;
      if (lookup->attempts[i].state == ATTEMPT_FOUND)
        {
          lookup_return (task, g_steal_pointer (&lookup->attempts[i].parsed));
          return;
        }
    }
  if (lookup->round == 0 && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
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
      mtc_discovery_note (lookup->notes, MTC_DISCOVERY_SOURCE_AUTOCONFIG,
                          /* TRANSLATORS: what an autoconfig file gave: its address, and how many servers
                           * it lists */
                          ngettext ("%s: %u server", "%s: %u servers", parsed->endpoints->len), url,
                          parsed->endpoints->len);
    }
  else
    {
      attempt->state = ATTEMPT_FAILED;
      mtc_discovery_note (lookup->notes, MTC_DISCOVERY_SOURCE_AUTOCONFIG, "%s: %s", url, problem);
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
  MtcDiscoveryResult *parsed = mtc_discovery_parse_autoconfig ((const char *) fetch->body->data, fetch->body->len,
                                                               lookup->address, url, &error);

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
  g_debug ("discovery: autoconfig: GET %s", url);
  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri ("GET", fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message), "Accept",
                                "text/xml, application/xml");
  soup_session_send_async (lookup->session, fetch->message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           fetch_sent_cb, fetch);
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
  guint first = lookup->round * URLS_PER_ROUND;

  for (guint i = first; i < first + URLS_PER_ROUND; i++)
    if (lookup->attempts[i].state == ATTEMPT_PENDING)
      {
        g_autofree char *url = g_uri_to_string_partial (lookup->attempts[i].uri, G_URI_HIDE_QUERY);

        lookup->attempts[i].state = ATTEMPT_FAILED;
        mtc_discovery_tally_add_silent (lookup->tally);
        mtc_discovery_note (lookup->notes, MTC_DISCOVERY_SOURCE_AUTOCONFIG, "%s: %s", url, note);
      }
  update (task);
}

static void
start_round (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  guint first = lookup->round * URLS_PER_ROUND;
  GCancellable *cancellable;

  if (lookup->deadline != NULL)
    mtc_deadline_cancel (lookup->deadline);
  g_clear_pointer (&lookup->deadline, mtc_deadline_free);
  lookup->deadline = mtc_deadline_new (lookup->timeout_ms, g_task_get_cancellable (task),
                                       "[mtc] discovery deadline");
  mtc_deadline_set_expired_func (lookup->deadline, round_expired, task);
  cancellable = mtc_deadline_get_cancellable (lookup->deadline);

  for (guint i = first; i < first + URLS_PER_ROUND; i++)
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      lookup->attempts[i].state = ATTEMPT_PENDING;
      lookup->attempts[i].uri = autoconfig_uri (lookup, i);
      fetch->task = g_object_ref (task);
      fetch->index = i;
      fetch->cancellable = g_object_ref (cancellable);
      fetch->uri = g_uri_ref (lookup->attempts[i].uri);
      fetch_send (fetch);
    }
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
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, mtc_autoconfig_fetch_async);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  lookup->session = g_object_ref (session);
  lookup->address = mtc_email_address_copy (address);
  lookup->https_port = https_port;
  lookup->http_port = http_port;
  lookup->timeout_ms = timeout_ms;
  lookup->notes = g_ptr_array_ref (notes);
  lookup->tally = mtc_discovery_tally_ref (tally);
  start_round (task);
}

MtcDiscoveryResult *
mtc_autoconfig_fetch_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
