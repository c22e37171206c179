/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-dialogue.h"
#include "mtc-discovery.h"
#include "mtc-hosts-resolver.h"

struct _MtcDiscovery
{
  GObject parent_instance;

  GResolver *resolver;
  SoupSession *session;
  GPtrArray *providers;     /* of MtcProvider, or NULL for the built-in ones */
  guint timeout_ms;
  guint16 https_port;       /* 0: the standard port */
  guint16 http_port;
};

G_DEFINE_FINAL_TYPE (MtcDiscovery, mtc_discovery, G_TYPE_OBJECT)

typedef enum {
  STATE_PENDING,
  STATE_FOUND,
  STATE_FAILED,
} State;

/* One source: its own cancellable and deadline, its operations, and the
 * endpoints of each operation in a slot of its own so that the order does
 * not depend on which answer came first. */
typedef struct {
  State state;
  GCancellable *cancellable;
  GSource *deadline;
  guint n_pending;
  guint64 done;             /* bit i: operation i has answered */
  GPtrArray *slots;         /* per operation: GPtrArray of MtcEndpoint, or NULL */
  GPtrArray *notes;         /* of char*: what each operation found, or why not */
} Source;

#define N_AUTOCONFIG_URLS 4

typedef struct {
  State state;
  GUri *uri;
  MtcDiscoveryResult *parsed;
} Attempt;

typedef struct {
  gatomicrefcount ref_count;
  GTask *task;              /* until the result is returned */
  GMainContext *context;
  GResolver *resolver;
  SoupSession *session;
  guint timeout_ms;
  guint16 https_port;
  guint16 http_port;
  MtcEmailAddress *address;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
  Source sources[MTC_DISCOVERY_N_SOURCES];
  Attempt attempts[N_AUTOCONFIG_URLS];
  guint round;              /* autoconfig: 0 https, 1 http */
  int autoconfig_winner;    /* index into attempts, or -1 */
} Run;

typedef struct {
  Run *run;
  guint index;
} Op;

typedef struct {
  Run *run;
  guint index;              /* into run->attempts */
  GCancellable *cancellable;
  GUri *uri;                /* where the current request goes */
  guint n_redirects;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *body;
} Fetch;

static const struct {
  const char *service;
  const char *scheme;
} srv_services[] = {
  /* In the report's order: sending first, STARTTLS before implicit TLS. */
  { "submission", "smtp" },
  { "submissions", "smtps" },
  { "imap", "imap" },
  { "imaps", "imaps" },
  { "pop3", "pop3" },
  { "pop3s", "pop3s" },
};

static const struct {
  const char *prefix;
  const char *schemes[6];   /* NULL: the six standard ports */
} common_names[] = {
  { "mail.", { NULL } },
  { "smtp.", { "smtp", "smtps", NULL } },
  { "imap.", { "imap", "imaps", NULL } },
  { "pop.", { "pop3", "pop3s", NULL } },
};

static void evaluate        (Run   *run);
static void autoconfig_update (Run *run);
static void start_autoconfig_round (Run *run);

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

static MtcDiscoveryResult *
result_new (MtcDiscoverySource     source,
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

static void
add_endpoint_unique (GPtrArray   *endpoints,
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

static gint
compare_protocols (gconstpointer a,
                   gconstpointer b)
{
  const MtcEndpoint *ea = *(const MtcEndpoint **) a;
  const MtcEndpoint *eb = *(const MtcEndpoint **) b;

  return (int) ea->protocol - (int) eb->protocol;
}

/* ------------------------------------------------------------ autoconfig XML */

#define AUTOCONFIG_MAX_DEPTH 16
#define AUTOCONFIG_MAX_SERVERS 32
#define AUTOCONFIG_MAX_TEXT 1024

typedef struct {
  const MtcEmailAddress *address;
  const char *url;
  MtcDiscoveryResult *result;
  guint depth;
  guint n_servers;
  /* the text of the leaf element being read */
  GString *text;
  guint collect_depth;      /* 0: not collecting */
  char **collect_into;
  /* the server being read */
  guint server_depth;       /* 0: not inside a server */
  gboolean outgoing;
  char *type;
  char *hostname;
  char *port;
  char *socket_type;
  char *username;
  gboolean have_username;
} Parser;

static char *
substitute (const char            *text,
            const MtcEmailAddress *address,
            gboolean               ascii)
{
  GString *out = g_string_new (text);

  g_string_replace (out, "%EMAILADDRESS%", ascii ? address->address_ascii : address->address, 0);
  g_string_replace (out, "%EMAILLOCALPART%", address->local, 0);
  g_string_replace (out, "%EMAILDOMAIN%", ascii ? address->domain : address->domain_display, 0);
  return g_string_free (out, FALSE);
}

static void
clear_server (Parser *parser)
{
  parser->server_depth = 0;
  g_clear_pointer (&parser->type, g_free);
  g_clear_pointer (&parser->hostname, g_free);
  g_clear_pointer (&parser->port, g_free);
  g_clear_pointer (&parser->socket_type, g_free);
  g_clear_pointer (&parser->username, g_free);
}

/* A server the file names, as an endpoint; unusable entries are skipped. */
static void
finish_server (Parser *parser)
{
  const char *scheme = NULL;
  gboolean plain = FALSE;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  MtcEndpoint *endpoint;

  if (parser->type == NULL || parser->hostname == NULL || parser->port == NULL || parser->socket_type == NULL)
    return;
  if (g_ascii_strcasecmp (parser->socket_type, "plain") == 0)
    plain = TRUE;
  else if (g_ascii_strcasecmp (parser->socket_type, "SSL") != 0
           && g_ascii_strcasecmp (parser->socket_type, "STARTTLS") != 0)
    return;

  if (parser->outgoing && strcmp (parser->type, "smtp") == 0)
    scheme = !plain && g_ascii_strcasecmp (parser->socket_type, "SSL") == 0 ? "smtps" : "smtp";
  else if (!parser->outgoing && strcmp (parser->type, "imap") == 0)
    scheme = !plain && g_ascii_strcasecmp (parser->socket_type, "SSL") == 0 ? "imaps" : "imap";
  else if (!parser->outgoing && strcmp (parser->type, "pop3") == 0)
    scheme = !plain && g_ascii_strcasecmp (parser->socket_type, "SSL") == 0 ? "pop3s" : "pop3";
  if (scheme == NULL)
    return;

  host = substitute (parser->hostname, parser->address, TRUE);
  if (strchr (host, ':') != NULL)
    return;
  url = g_strdup_printf ("%s://%s:%s", scheme, host, parser->port);
  endpoint = mtc_endpoint_parse (url, NULL);
  if (endpoint == NULL)
    return;
  if (plain)
    /* TRANSLATORS: where an endpoint came from, in the report; %s is the autoconfig file's address */
    endpoint->source = g_strdup_printf (_("autoconfig %s (which says: no encryption)"), parser->url);
  else
    /* TRANSLATORS: where an endpoint came from, in the report; %s is the autoconfig file's address */
    endpoint->source = g_strdup_printf (_("autoconfig %s"), parser->url);
  /* The provider says STARTTLS belongs there: the verdict's evidence when
   * it goes missing on the way. */
  if (!plain && endpoint->security == MTC_SECURITY_STARTTLS)
    {
      if (parser->result->starttls_published == NULL)
        parser->result->starttls_published = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (parser->result->starttls_published, mtc_endpoint_to_ascii_url (endpoint));
    }
  add_endpoint_unique (parser->result->endpoints, endpoint);

  if (!parser->outgoing && parser->username != NULL && parser->result->username == NULL)
    parser->result->username = substitute (parser->username, parser->address, FALSE);
}

static gboolean
parent_is (GMarkupParseContext *context,
           const char          *name)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  return stack != NULL && stack->next != NULL && strcmp (stack->next->data, name) == 0;
}

static void
start_collecting (Parser  *parser,
                  char   **into)
{
  parser->collect_depth = parser->depth;
  parser->collect_into = into;
  g_string_truncate (parser->text, 0);
}

static void
autoconfig_start_element (GMarkupParseContext  *context,
                          const char           *name,
                          const char          **attribute_names,
                          const char          **attribute_values,
                          gpointer              user_data,
                          GError              **error)
{
  Parser *parser = user_data;

  parser->depth++;
  if (parser->depth > AUTOCONFIG_MAX_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, _("it is nested too deeply"));
      return;
    }
  if (parser->depth == 1)
    {
      if (strcmp (name, "clientConfig") != 0)
        g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                     _("it is not an autoconfig file (it starts with <%s>, not <clientConfig>)"), name);
      return;
    }
  /* A leaf element's text stops at its first child element. */
  parser->collect_depth = 0;

  if ((strcmp (name, "incomingServer") == 0 || strcmp (name, "outgoingServer") == 0)
      && parent_is (context, "emailProvider"))
    {
      if (++parser->n_servers > AUTOCONFIG_MAX_SERVERS)
        {
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, _("it lists too many servers"));
          return;
        }
      clear_server (parser);
      parser->server_depth = parser->depth;
      parser->outgoing = name[0] == 'o';
      /* GMarkup lets an attribute repeat: the first one counts. */
      for (int i = 0; attribute_names[i] != NULL; i++)
        if (strcmp (attribute_names[i], "type") == 0 && parser->type == NULL)
          parser->type = g_ascii_strdown (attribute_values[i], -1);
    }
  else if (parser->server_depth != 0 && parser->depth == parser->server_depth + 1)
    {
      if (strcmp (name, "hostname") == 0 && parser->hostname == NULL)
        start_collecting (parser, &parser->hostname);
      else if (strcmp (name, "port") == 0 && parser->port == NULL)
        start_collecting (parser, &parser->port);
      else if (strcmp (name, "socketType") == 0 && parser->socket_type == NULL)
        start_collecting (parser, &parser->socket_type);
      else if (strcmp (name, "username") == 0 && parser->username == NULL)
        start_collecting (parser, &parser->username);
    }
  else if (strcmp (name, "displayName") == 0 && parent_is (context, "emailProvider")
           && parser->result->display_name == NULL)
    start_collecting (parser, &parser->result->display_name);
  else if (strcmp (name, "loginPage") == 0 && parent_is (context, "webMail") && parser->result->webmail_url == NULL)
    {
      for (int i = 0; attribute_names[i] != NULL; i++)
        if (strcmp (attribute_names[i], "url") == 0 && g_str_has_prefix (attribute_values[i], "https://")
            && parser->result->webmail_url == NULL)
          parser->result->webmail_url = g_strdup (attribute_values[i]);
    }
}

static void
autoconfig_end_element (GMarkupParseContext  *context,
                        const char           *name,
                        gpointer              user_data,
                        GError              **error)
{
  Parser *parser = user_data;

  if (parser->collect_depth != 0 && parser->collect_depth == parser->depth)
    {
      g_free (*parser->collect_into);
      *parser->collect_into = g_strstrip (g_strdup (parser->text->str));
      if (**parser->collect_into == '\0')
        g_clear_pointer (parser->collect_into, g_free);
      parser->collect_depth = 0;
    }
  if (parser->server_depth != 0 && parser->server_depth == parser->depth)
    {
      finish_server (parser);
      clear_server (parser);
    }
  parser->depth--;
}

static void
autoconfig_text (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 length,
                 gpointer              user_data,
                 GError              **error)
{
  Parser *parser = user_data;

  if (parser->collect_depth == 0 || parser->collect_depth != parser->depth)
    return;
  if (parser->text->len + length > AUTOCONFIG_MAX_TEXT)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, _("a value in it is too long"));
      return;
    }
  g_string_append_len (parser->text, text, length);
}

static void
autoconfig_passthrough (GMarkupParseContext  *context,
                        const char           *text,
                        gsize                 length,
                        gpointer              user_data,
                        GError              **error)
{
  /* No document type, hence no entity can be declared: GMarkup knows only
   * the five predefined ones, so nothing can expand. */
  if (length >= 2 && text[0] == '<' && text[1] == '!' && !(length >= 4 && strncmp (text, "<!--", 4) == 0))
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         _("it contains a document type declaration (<!DOCTYPE …>), which autoconfig files do not "
                           "have"));
}

static const GMarkupParser autoconfig_parser = {
  autoconfig_start_element,
  autoconfig_end_element,
  autoconfig_text,
  autoconfig_passthrough,
  NULL,
};

/**
 * mtc_discovery_parse_autoconfig:
 * @data: an autoconfig file (Thunderbird's config-v1.1.xml format)
 * @address: the address the file is for (fills in %EMAILADDRESS% and the like)
 * @url: where the file came from, without the query, for the endpoints' source
 *
 * Reads only what the check needs: the display name, the incoming (IMAP,
 * POP3) and outgoing (SMTP) servers with host name, port and socket type,
 * the user name and the webmail login page.  A document type declaration
 * is refused, so no entity can be defined, let alone expanded.
 *
 * Returns: (transfer full): the servers, or %NULL with an error in plain
 *   words (a clause: "it is not an autoconfig file …")
 */
MtcDiscoveryResult *
mtc_discovery_parse_autoconfig (const char            *data,
                                gsize                  length,
                                const MtcEmailAddress *address,
                                const char            *url,
                                GError               **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(MtcDiscoveryResult) result = result_new (MTC_DISCOVERY_SOURCE_AUTOCONFIG, address);
  g_autoptr(GError) local_error = NULL;
  Parser parser = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (length > MTC_AUTOCONFIG_MAX_SIZE)
    {
      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, _("it is larger than %d KiB"), MTC_AUTOCONFIG_MAX_SIZE / 1024);
      return NULL;
    }
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  /* XML is UTF-8 here; and GMarkup (GLib 2.74) goes on parsing after invalid
   * UTF-8 inside a comment or declaration, and sets a second error over the
   * first. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      /* TRANSLATORS: completes "it is not a valid autoconfig file: %s" */
      const char *why = _("the text is not in UTF-8");

      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, _("it is not a valid autoconfig file: %s"), why);
      return NULL;
    }

  parser.address = address;
  parser.url = url;
  parser.result = result;
  parser.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&autoconfig_parser,
                                        G_MARKUP_TREAT_CDATA_AS_TEXT | G_MARKUP_PREFIX_ERROR_POSITION,
                                        &parser, NULL);
  ok = g_markup_parse_context_parse (context, data, length, &local_error)
       && g_markup_parse_context_end_parse (context, &local_error);
  clear_server (&parser);
  g_string_free (parser.text, TRUE);

  if (!ok)
    {
      /* GMarkup quotes the file (control characters and all) and an invalid
       * name's first character with "%c", cutting a multi-byte character in
       * half: the message is made safe to show. */
      g_autofree char *message = mtc_sanitize_server_text (local_error->message, -1, 300);

      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, _("it is not a valid autoconfig file: %s"), message);
      return NULL;
    }
  /* A stranger's words, shown to the user: the name made safe to show, and a
   * user name with control or formatting characters (&#7;, &#x202E;) not
   * offered at all, since it could not be typed as shown. */
  if (result->display_name != NULL)
    {
      char *clean = mtc_sanitize_server_text (result->display_name, -1, 100);

      g_free (result->display_name);
      result->display_name = clean;
    }
  if (result->username != NULL)
    {
      g_autofree char *clean = mtc_sanitize_server_text (result->username, -1, AUTOCONFIG_MAX_TEXT);

      if (strcmp (clean, result->username) != 0)
        g_clear_pointer (&result->username, g_free);
    }
  if (result->endpoints->len == 0)
    {
      g_set_error_literal (error, MTC_ERROR, MTC_ERROR_FAILED,
                           _("it names no mail server that this program can check"));
      return NULL;
    }
  if (result->webmail_url != NULL)
    {
      MtcEndpoint *webmail = mtc_endpoint_parse (result->webmail_url, NULL);

      if (webmail != NULL)
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is the autoconfig file's address */
          webmail->source = g_strdup_printf (_("autoconfig %s (webmail)"), url);
          add_endpoint_unique (result->endpoints, webmail);
        }
      else
        g_clear_pointer (&result->webmail_url, g_free);
    }
  g_ptr_array_sort (result->endpoints, compare_protocols);
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------ the run */

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

static void
endpoints_unref (GPtrArray *endpoints)
{
  if (endpoints != NULL)
    g_ptr_array_unref (endpoints);
}

static void
source_clear (Source *source)
{
  if (source->deadline != NULL)
    {
      g_source_destroy (source->deadline);
      g_clear_pointer (&source->deadline, g_source_unref);
    }
  g_clear_object (&source->cancellable);
  g_clear_pointer (&source->slots, g_ptr_array_unref);
  g_clear_pointer (&source->notes, g_ptr_array_unref);
}

static void
run_unref (Run *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;
  g_assert (run->task == NULL);
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    source_clear (&run->sources[i]);
  for (int i = 0; i < N_AUTOCONFIG_URLS; i++)
    {
      g_clear_pointer (&run->attempts[i].uri, g_uri_unref);
      g_clear_pointer (&run->attempts[i].parsed, mtc_discovery_result_free);
    }
  g_clear_object (&run->caller_cancellable);
  g_clear_object (&run->resolver);
  g_clear_object (&run->session);
  g_main_context_unref (run->context);
  mtc_email_address_free (run->address);
  g_free (run);
}

static Op *
op_new (Run   *run,
        guint  index)
{
  Op *op = g_new (Op, 1);

  op->run = run_ref (run);
  op->index = index;
  return op;
}

static void
op_free (Op *op)
{
  run_unref (op->run);
  g_free (op);
}

static void
add_note (Source     *source,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_note (Source     *source,
          const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (source->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
describe_timeout (Run *run)
{
  /* TRANSLATORS: why a way of finding the servers gave nothing; %g is a number of seconds */
  return g_strdup_printf (_("no answer within %g seconds"), run->timeout_ms / 1000.0);
}

/* A look-up or download error in plain words. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("no such record"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    return g_strdup (_("the name service did not answer"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("nothing answers there"));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_strdup (_("its certificate is not trusted"));
  if (error->domain == G_TLS_ERROR)
    return g_strdup_printf (_("no secure connection could be made (%s)"), error->message);
  return g_strdup (error->message);
}

static void
stop_source (Source *source)
{
  if (source->deadline != NULL)
    {
      g_source_destroy (source->deadline);
      g_clear_pointer (&source->deadline, g_source_unref);
    }
  if (source->cancellable != NULL)
    g_cancellable_cancel (source->cancellable);
}

/* Hands the result (or the error) to the caller and stops everything still
 * running; late callbacks find run->task NULL and only clean up. */
static void
run_return (Run                *run,
            MtcDiscoveryResult *result,
            GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    stop_source (&run->sources[i]);
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->caller_cancellable, run->cancelled_id);
  run->cancelled_id = 0;

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) mtc_discovery_result_free);
  else
    g_task_return_error (task, error);
}

/* Returns: (transfer full) (nullable): the source's notes in one line */
static char *
join_notes (Source *source)
{
  g_auto(GStrv) parts = NULL;

  if (source->notes == NULL || source->notes->len == 0)
    return NULL;
  g_ptr_array_add (source->notes, NULL);
  parts = (char **) g_ptr_array_steal (source->notes, NULL);
  return g_strjoinv ("; ", parts);
}

static void
fill_notes (Run                *run,
            MtcDiscoveryResult *result)
{
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];

      if (source->state == STATE_PENDING)
        add_note (source, "%s", _("stopped: a better way already found the servers"));
      result->notes[i] = join_notes (source);
    }
}

static void
evaluate (Run *run)
{
  g_autoptr(MtcDiscoveryResult) result = NULL;
  g_autoptr(GString) message = NULL;

  if (run->task == NULL)
    return;
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      Source *source = &run->sources[i];

      if (source->state == STATE_PENDING)
        return;
      if (source->state != STATE_FOUND)
        continue;

      if (i == MTC_DISCOVERY_SOURCE_AUTOCONFIG)
        {
          Attempt *attempt = &run->attempts[run->autoconfig_winner];

          result = g_steal_pointer (&attempt->parsed);
        }
      else
        {
          result = result_new (i, run->address);
          for (guint j = 0; j < source->slots->len; j++)
            {
              GPtrArray *found = g_ptr_array_index (source->slots, j);

              for (guint k = 0; found && k < found->len; k++)
                add_endpoint_unique (result->endpoints, mtc_endpoint_copy (g_ptr_array_index (found, k)));
            }
          result->guess = i >= MTC_DISCOVERY_SOURCE_MX;
        }
      fill_notes (run, result);
      run_return (run, g_steal_pointer (&result), NULL);
      return;
    }

  /* Every source failed. */
  message = g_string_new (NULL);
  g_string_append_printf (message, _("No mail servers could be found for “%s”. Check the address for typing "
                                     "mistakes, or enter the names of the servers your provider gave you."),
                          run->address->domain_display);
  for (int i = MTC_DISCOVERY_SOURCE_AUTOCONFIG; i < MTC_DISCOVERY_N_SOURCES; i++)
    {
      g_autofree char *notes = join_notes (&run->sources[i]);
      static const char *labels[] = { NULL, N_("Autoconfig"), N_("SRV records"), N_("MX record"),
                                      N_("Common names") };

      if (notes != NULL)
        g_string_append_printf (message, "\n  %s: %s", _(labels[i]), notes);
    }
  run_return (run, NULL, g_error_new_literal (MTC_ERROR, MTC_ERROR_NOT_FOUND, message->str));
}

/* What operation INDEX of KIND asked, for the notes; NULL for a single question. */
static char *
operation_label (Run                *run,
                 MtcDiscoverySource  kind,
                 guint               index)
{
  switch (kind)
    {
    case MTC_DISCOVERY_SOURCE_SRV:
      return g_strdup_printf ("_%s._tcp", srv_services[index].service);
    case MTC_DISCOVERY_SOURCE_COMMON_NAMES:
      return g_strconcat (common_names[index].prefix, run->address->domain, NULL);
    case MTC_DISCOVERY_SOURCE_PROFILE:
    case MTC_DISCOVERY_SOURCE_AUTOCONFIG:
    case MTC_DISCOVERY_SOURCE_MX:
    case MTC_DISCOVERY_N_SOURCES:
    default:
      return NULL;
    }
}

static gboolean
source_deadline_cb (gpointer user_data)
{
  Op *op = user_data;
  Run *run = op->run;
  Source *source = &run->sources[op->index];
  g_autofree char *note = describe_timeout (run);

  g_clear_pointer (&source->deadline, g_source_unref);
  if (op->index == MTC_DISCOVERY_SOURCE_AUTOCONFIG)
    {
      guint first = run->round * 2;

      for (guint i = first; i < first + 2; i++)
        if (run->attempts[i].state == STATE_PENDING)
          {
            g_autofree char *url = g_uri_to_string_partial (run->attempts[i].uri, G_URI_HIDE_QUERY);

            run->attempts[i].state = STATE_FAILED;
            add_note (source, "%s: %s", url, note);
          }
      g_cancellable_cancel (source->cancellable);
      autoconfig_update (run);
      return G_SOURCE_REMOVE;
    }

  /* Name what did not answer, when there is more than one question. */
  for (guint i = 0; source->slots != NULL && i < source->slots->len; i++)
    if (!(source->done & (G_GUINT64_CONSTANT (1) << i)))
      {
        g_autofree char *label = operation_label (run, op->index, i);

        if (label != NULL)
          add_note (source, "%s: %s", label, note);
        else
          add_note (source, "%s", note);
      }
  source->state = STATE_FAILED;
  g_cancellable_cancel (source->cancellable);
  evaluate (run);
  return G_SOURCE_REMOVE;
}

static void
arm_deadline (Run                *run,
              MtcDiscoverySource  kind)
{
  Source *source = &run->sources[kind];

  source->deadline = g_timeout_source_new (run->timeout_ms);
  g_source_set_callback (source->deadline, source_deadline_cb, op_new (run, kind), (GDestroyNotify) op_free);
  g_source_set_static_name (source->deadline, "[mtc] discovery deadline");
  g_source_attach (source->deadline, run->context);
}

static void
source_start (Run                *run,
              MtcDiscoverySource  kind,
              guint               n_operations)
{
  Source *source = &run->sources[kind];

  source->state = STATE_PENDING;
  source->cancellable = g_cancellable_new ();
  source->n_pending = n_operations;
  source->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoints_unref);
  g_ptr_array_set_size (source->slots, n_operations);
  arm_deadline (run, kind);
}

/* Whether a callback of KIND still matters. */
static gboolean
source_active (Run                *run,
               MtcDiscoverySource  kind)
{
  return run->task != NULL && run->sources[kind].state == STATE_PENDING;
}

static void
operation_done (Run                *run,
                MtcDiscoverySource  kind,
                guint               index,
                GPtrArray          *endpoints)
{
  Source *source = &run->sources[kind];

  source->done |= G_GUINT64_CONSTANT (1) << index;
  if (endpoints != NULL && endpoints->len > 0)
    g_ptr_array_index (source->slots, index) = g_ptr_array_ref (endpoints);
  if (--source->n_pending > 0)
    return;
  for (guint i = 0; i < source->slots->len; i++)
    if (g_ptr_array_index (source->slots, i) != NULL)
      source->state = STATE_FOUND;
  if (source->state == STATE_PENDING)
    source->state = STATE_FAILED;
  stop_source (source);
  evaluate (run);
}

/* ------------------------------------------------------------ autoconfig */

static void
fetch_free (Fetch *fetch)
{
  run_unref (fetch->run);
  g_clear_object (&fetch->cancellable);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch);
}

static gboolean
fetch_active (Fetch *fetch)
{
  return fetch->run->task != NULL && fetch->run->attempts[fetch->index].state == STATE_PENDING;
}

/* Ends one attempt, with what it parsed or why it failed. */
static void
fetch_done (Fetch              *fetch,
            MtcDiscoveryResult *parsed,
            const char         *problem)
{
  Run *run = fetch->run;
  Attempt *attempt = &run->attempts[fetch->index];
  g_autofree char *url = g_uri_to_string_partial (attempt->uri, G_URI_HIDE_QUERY);

  if (parsed != NULL)
    {
      attempt->state = STATE_FOUND;
      attempt->parsed = parsed;
      add_note (&run->sources[MTC_DISCOVERY_SOURCE_AUTOCONFIG],
                ngettext ("%s: %u server", "%s: %u servers", parsed->endpoints->len), url, parsed->endpoints->len);
    }
  else
    {
      attempt->state = STATE_FAILED;
      add_note (&run->sources[MTC_DISCOVERY_SOURCE_AUTOCONFIG], "%s: %s", url, problem);
    }
  autoconfig_update (run);
  fetch_free (fetch);
}

static void fetch_send (Fetch *fetch);

static void
fetch_parse (Fetch *fetch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_uri_to_string_partial (fetch->uri, G_URI_HIDE_QUERY | G_URI_HIDE_USERINFO
                                                             | G_URI_HIDE_FRAGMENT);
  MtcDiscoveryResult *parsed = mtc_discovery_parse_autoconfig ((const char *) fetch->body->data, fetch->body->len,
                                                               fetch->run->address, url, &error);

  fetch_done (fetch, parsed, error ? error->message : NULL);
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

  if (!fetch_active (fetch))
    {
      fetch_free (fetch);
      return;
    }
  if (bytes == NULL)
    {
      problem = describe_error (error);
      fetch_done (fetch, NULL, problem);
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
      fetch_done (fetch, NULL, problem);
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

  if (!fetch_active (fetch))
    {
      fetch_free (fetch);
      return;
    }
  if (stream == NULL)
    {
      problem = describe_error (error);
      fetch_done (fetch, NULL, problem);
      return;
    }
  status = soup_message_get_status (fetch->message);
  headers = soup_message_get_response_headers (fetch->message);
  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
    {
      if (!fetch_redirect (fetch, &problem))
        fetch_done (fetch, NULL, problem);
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
      fetch_done (fetch, NULL, problem);
      return;
    }
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (!content_type_acceptable (content_type))
    {
      problem = g_strdup_printf (_("it is a web page or other file (%s), not an autoconfig file"), content_type);
      fetch_done (fetch, NULL, problem);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > MTC_AUTOCONFIG_MAX_SIZE)
    {
      problem = g_strdup_printf (_("the file is larger than %d KiB"), MTC_AUTOCONFIG_MAX_SIZE / 1024);
      fetch_done (fetch, NULL, problem);
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
  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri ("GET", fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message), "Accept",
                                "text/xml, application/xml");
  soup_session_send_async (fetch->run->session, fetch->message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           fetch_sent_cb, fetch);
}

/* The four places, best first (Thunderbird's order): the autoconfig host,
 * then the domain's well-known path, over https, then the same over http. */
static GUri *
autoconfig_uri (Run   *run,
                guint  index)
{
  gboolean https = index < 2;
  gboolean autoconfig_host = index % 2 == 0;
  g_autofree char *host = autoconfig_host ? g_strconcat ("autoconfig.", run->address->domain, NULL)
                                          : g_strdup (run->address->domain);
  g_autofree char *escaped = g_uri_escape_string (run->address->address_ascii, NULL, FALSE);
  g_autofree char *query = g_strconcat ("emailaddress=", escaped, NULL);
  guint16 port = https ? run->https_port : run->http_port;

  return g_uri_build (SOUP_HTTP_URI_FLAGS, https ? "https" : "http", NULL, host, port ? port : -1,
                      autoconfig_host ? "/mail/config-v1.1.xml" : "/.well-known/autoconfig/mail/config-v1.1.xml",
                      query, NULL);
}

static void
start_autoconfig_round (Run *run)
{
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_AUTOCONFIG];
  guint first = run->round * 2;

  if (source->cancellable != NULL)
    g_cancellable_cancel (source->cancellable);
  g_clear_object (&source->cancellable);
  source->cancellable = g_cancellable_new ();
  if (source->deadline != NULL)
    {
      g_source_destroy (source->deadline);
      g_clear_pointer (&source->deadline, g_source_unref);
    }
  arm_deadline (run, MTC_DISCOVERY_SOURCE_AUTOCONFIG);

  for (guint i = first; i < first + 2; i++)
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      run->attempts[i].state = STATE_PENDING;
      run->attempts[i].uri = autoconfig_uri (run, i);
      fetch->run = run_ref (run);
      fetch->index = i;
      fetch->cancellable = g_object_ref (source->cancellable);
      fetch->uri = g_uri_ref (run->attempts[i].uri);
      fetch_send (fetch);
    }
}

/* Decides the autoconfig source once the better attempts have answered. */
static void
autoconfig_update (Run *run)
{
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_AUTOCONFIG];
  guint first = run->round * 2;

  if (run->task == NULL || source->state != STATE_PENDING)
    return;
  for (guint i = first; i < first + 2; i++)
    {
      if (run->attempts[i].state == STATE_PENDING)
        return;
      if (run->attempts[i].state == STATE_FOUND)
        {
          run->autoconfig_winner = i;
          source->state = STATE_FOUND;
          stop_source (source);
          evaluate (run);
          return;
        }
    }
  if (run->round == 0)
    {
      run->round = 1;
      start_autoconfig_round (run);
      return;
    }
  source->state = STATE_FAILED;
  stop_source (source);
  evaluate (run);
}

/* ------------------------------------------------------------ SRV */

/* The SRV records come as records rather than through
 * g_resolver_lookup_service_async(), which sorts a lone "." away and so
 * cannot tell "not offered" (RFC 2782) from "no record". */
static void
srv_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Op *op = user_data;
  Run *run = op->run;
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_SRV];
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  const char *service = srv_services[op->index].service;

  if (source_active (run, MTC_DISCOVERY_SOURCE_SRV))
    {
      GList *targets = NULL;
      gboolean not_offered = FALSE;

      for (GList *l = records; l != NULL; l = l->next)
        {
          guint16 priority, weight, port;
          const char *hostname;

          if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qqqs)")))
            continue;
          g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &hostname);
          if (*hostname == '\0' || strcmp (hostname, ".") == 0 || port == 0)
            not_offered = TRUE;
          else
            targets = g_list_prepend (targets, g_srv_target_new (hostname, port, priority, weight));
        }
      targets = g_srv_target_list_sort (targets);

      if (targets != NULL)
        {
          GSrvTarget *target = targets->data;
          g_autofree char *url = g_strdup_printf ("%s://%s:%u", srv_services[op->index].scheme,
                                                  g_srv_target_get_hostname (target), g_srv_target_get_port (target));
          g_autoptr(GError) parse_error = NULL;
          MtcEndpoint *endpoint = mtc_endpoint_parse (url, &parse_error);

          if (endpoint == NULL)
            add_note (source, "_%s._tcp: %s", service, parse_error->message);
          else
            {
              /* TRANSLATORS: where an endpoint came from, in the report; %s is a DNS name */
              endpoint->source = g_strdup_printf (_("SRV record _%s._tcp.%s"), service, run->address->domain);
              add_note (source, "_%s._tcp: %s:%u", service, endpoint->host_display, endpoint->port);
              g_ptr_array_add (found, endpoint);
            }
        }
      else if (not_offered)
        /* TRANSLATORS: an SRV record whose target is "." */
        add_note (source, "_%s._tcp: %s", service, _("not offered, the domain says"));
      else
        {
          g_autofree char *problem = error ? describe_error (error) : g_strdup (_("no such record"));

          add_note (source, "_%s._tcp: %s", service, problem);
        }
      g_resolver_free_targets (targets);
      operation_done (run, MTC_DISCOVERY_SOURCE_SRV, op->index, found);
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  op_free (op);
}

static void
start_srv (Run *run)
{
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_SRV];

  source_start (run, MTC_DISCOVERY_SOURCE_SRV, G_N_ELEMENTS (srv_services));
  for (guint i = 0; i < G_N_ELEMENTS (srv_services); i++)
    {
      g_autofree char *rrname = g_strdup_printf ("_%s._tcp.%s", srv_services[i].service, run->address->domain);

      g_resolver_lookup_records_async (run->resolver, rrname, G_RESOLVER_RECORD_SRV, source->cancellable, srv_done_cb,
                                       op_new (run, i));
    }
}

/* ------------------------------------------------------------ MX */

static GPtrArray *
endpoints_for_host (const char *host,
                    const char *const *schemes,
                    const char *source)
{
  GPtrArray *endpoints = NULL;

  if (schemes == NULL || schemes[0] == NULL)
    endpoints = mtc_target_parse_host (host, NULL);
  else
    {
      endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
      for (int i = 0; schemes[i] != NULL; i++)
        {
          g_autofree char *url = g_strdup_printf ("%s://%s", schemes[i], host);
          MtcEndpoint *endpoint = mtc_endpoint_parse (url, NULL);

          if (endpoint != NULL)
            g_ptr_array_add (endpoints, endpoint);
        }
    }
  for (guint i = 0; endpoints && i < endpoints->len; i++)
    {
      MtcEndpoint *endpoint = g_ptr_array_index (endpoints, i);

      g_free (endpoint->source);
      endpoint->source = g_strdup (source);
    }
  return endpoints;
}

static void
mx_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;
  Run *run = op->run;
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_MX];
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);

  if (source_active (run, MTC_DISCOVERY_SOURCE_MX))
    {
      g_autoptr(GPtrArray) found = NULL;
      const char *best = NULL;
      guint16 best_preference = G_MAXUINT16;

      for (GList *l = records; l != NULL; l = l->next)
        {
          guint16 preference;
          const char *exchange;

          if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
            continue;
          g_variant_get (l->data, "(q&s)", &preference, &exchange);
          if (best == NULL || preference < best_preference)
            {
              best = exchange;
              best_preference = preference;
            }
        }
      if (records == NULL)
        {
          g_autofree char *problem = describe_error (error);

          add_note (source, "%s", problem);
        }
      else if (best == NULL || *best == '\0' || strcmp (best, ".") == 0)
        /* TRANSLATORS: RFC 7505 "null MX" */
        add_note (source, "%s", _("the domain says it receives no mail"));
      else
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is the MX host name */
          g_autofree char *label = g_strdup_printf (_("guess from MX %s (the domain’s incoming mail server)"), best);

          found = endpoints_for_host (best, NULL, label);
          if (found == NULL || found->len == 0)
            add_note (source, _("%s is not a valid server name"), best);
          else
            add_note (source, "%s", best);
        }
      operation_done (run, MTC_DISCOVERY_SOURCE_MX, 0, found);
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  op_free (op);
}

static void
start_mx (Run *run)
{
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_MX];

  source_start (run, MTC_DISCOVERY_SOURCE_MX, 1);
  g_resolver_lookup_records_async (run->resolver, run->address->domain, G_RESOLVER_RECORD_MX, source->cancellable,
                                   mx_done_cb, op_new (run, 0));
}

/* ------------------------------------------------------------ common names */

static void
name_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  Run *run = op->run;
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_COMMON_NAMES];
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (source_active (run, MTC_DISCOVERY_SOURCE_COMMON_NAMES))
    {
      g_autofree char *host = g_strconcat (common_names[op->index].prefix, run->address->domain, NULL);
      g_autoptr(GPtrArray) found = NULL;

      if (addresses == NULL)
        {
          g_autofree char *problem = describe_error (error);

          add_note (source, "%s: %s", host, problem);
        }
      else
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is a host name like imap.example.net */
          g_autofree char *label = g_strdup_printf (_("guess from the common name %s"), host);

          found = endpoints_for_host (host, common_names[op->index].schemes, label);
          add_note (source, _("%s exists"), host);
        }
      operation_done (run, MTC_DISCOVERY_SOURCE_COMMON_NAMES, op->index, found);
    }
  g_resolver_free_addresses (addresses);
  op_free (op);
}

static void
start_common_names (Run *run)
{
  Source *source = &run->sources[MTC_DISCOVERY_SOURCE_COMMON_NAMES];

  source_start (run, MTC_DISCOVERY_SOURCE_COMMON_NAMES, G_N_ELEMENTS (common_names));
  for (guint i = 0; i < G_N_ELEMENTS (common_names); i++)
    {
      g_autofree char *host = g_strconcat (common_names[i].prefix, run->address->domain, NULL);

      g_resolver_lookup_by_name_async (run->resolver, host, source->cancellable, name_done_cb, op_new (run, i));
    }
}

/* ------------------------------------------------------------ cancellation */

static gboolean
caller_cancelled_idle_cb (gpointer user_data)
{
  Run *run = user_data;

  if (run->task != NULL)
    run_return (run, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled.")));
  return G_SOURCE_REMOVE;
}

/* May run in any thread: only schedules the work on the run's context (and
 * g_cancellable_disconnect() must not be called from this handler). */
static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Run *run = user_data;
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, caller_cancelled_idle_cb, run_ref (run), (GDestroyNotify) run_unref);
  g_source_set_static_name (idle, "[mtc] discovery cancelled");
  g_source_attach (idle, run->context);
  g_source_unref (idle);
}

/* ------------------------------------------------------------ the object */

static void
mtc_discovery_dispose (GObject *object)
{
  MtcDiscovery *self = MTC_DISCOVERY (object);

  g_clear_object (&self->resolver);
  g_clear_object (&self->session);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
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
  Run *run;

  g_return_if_fail (MTC_IS_DISCOVERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

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
      MtcDiscoveryResult *result = result_new (MTC_DISCOVERY_SOURCE_PROFILE, parsed);

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

  run = g_new0 (Run, 1);
  g_atomic_ref_count_init (&run->ref_count);
  run->task = g_steal_pointer (&task);
  run->context = g_main_context_ref_thread_default ();
  run->resolver = self->resolver ? g_object_ref (self->resolver) : g_resolver_get_default ();
  run->session = self->session ? g_object_ref (self->session)
                               : soup_session_new_with_options ("user-agent", "Mail TLS Check/" PACKAGE_VERSION,
                                                                NULL);
  run->timeout_ms = self->timeout_ms;
  run->https_port = self->https_port;
  run->http_port = self->http_port;
  run->address = g_steal_pointer (&parsed);
  run->autoconfig_winner = -1;
  for (int i = 0; i < MTC_DISCOVERY_N_SOURCES; i++)
    run->sources[i].notes = g_ptr_array_new_with_free_func (g_free);
  run->sources[MTC_DISCOVERY_SOURCE_PROFILE].state = STATE_FAILED;

  /* The autoconfig source has its own rounds; set it up by hand. */
  run->sources[MTC_DISCOVERY_SOURCE_AUTOCONFIG].state = STATE_PENDING;
  start_autoconfig_round (run);
  start_srv (run);
  start_mx (run);
  start_common_names (run);

  if (cancellable != NULL && run->task != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb), run_ref (run),
                                                 (GDestroyNotify) run_unref);
    }
  run_unref (run);
}

/**
 * mtc_discovery_run_finish:
 *
 * Returns: (transfer full): the endpoints and where they came from, or
 *   %NULL with %MTC_ERROR_INVALID_TARGET (the address is not valid),
 *   %MTC_ERROR_NOT_FOUND (no source found anything; the message says what
 *   each one answered) or %G_IO_ERROR_CANCELLED
 */
MtcDiscoveryResult *
mtc_discovery_run_finish (MtcDiscovery  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
