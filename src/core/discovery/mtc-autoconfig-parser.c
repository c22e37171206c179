/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The autoconfig file (Thunderbird's config-v1.1.xml format), read with
 * GMarkup: only what the check needs, with bounds on depth, servers and
 * text, and no document type. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-discovery-private.h"
#include "mtc-quote.h"

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

static gint
compare_protocols (gconstpointer a,
                   gconstpointer b)
{
  const MtcEndpoint *ea = *(const MtcEndpoint **) a;
  const MtcEndpoint *eb = *(const MtcEndpoint **) b;

  return (int) ea->protocol - (int) eb->protocol;
}

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
  mtc_endpoints_add_unique (parser->result->endpoints, endpoint);

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
                     /* TRANSLATORS: %s is the name of the file's first XML element */
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
  g_autoptr(MtcDiscoveryResult) result = mtc_discovery_result_new (MTC_DISCOVERY_SOURCE_AUTOCONFIG, address);
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

      /* TRANSLATORS: %s is the XML reader's message (English) */
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
      g_autofree char *message = mtc_quote_text (local_error->message, -1, 300);

      /* TRANSLATORS: %s is the XML reader's message (English) */
      g_set_error (error, MTC_ERROR, MTC_ERROR_FAILED, _("it is not a valid autoconfig file: %s"), message);
      return NULL;
    }
  /* A stranger's words, shown to the user: the name made safe to show, and a
   * user name with control or formatting characters (&#7;, &#x202E;) not
   * offered at all, since it could not be typed as shown. */
  if (result->display_name != NULL)
    {
      char *clean = mtc_quote_text (result->display_name, -1, 100);

      g_free (result->display_name);
      result->display_name = clean;
    }
  if (result->username != NULL)
    {
      g_autofree char *clean = mtc_quote_text (result->username, -1, AUTOCONFIG_MAX_TEXT);

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
          mtc_endpoints_add_unique (result->endpoints, webmail);
        }
      else
        g_clear_pointer (&result->webmail_url, g_free);
    }
  g_ptr_array_sort (result->endpoints, compare_protocols);
  return g_steal_pointer (&result);
}
