/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sources that ask the name service: SRV records (RFC 6186, RFC 8314),
 * the MX record and the common names (both guesses).  Each is one GTask
 * operation that asks one or more questions at once, keeps each answer in a
 * slot of its own (so that the order of the endpoints does not depend on
 * which answer came first) and, when its deadline passes, names the
 * questions that got no answer. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mtc-deadline.h"
#include "mtc-discovery-private.h"

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

/* The task data. */
typedef struct {
  MtcDiscoverySource kind;
  MtcEmailAddress *address;
  guint timeout_ms;
  GPtrArray *notes;
  MtcDiscoveryTally *tally;
  MtcDeadline *deadline;
  guint n_pending;
  guint64 answered;         /* bit i: question i has answered */
  GPtrArray *slots;         /* per question: GPtrArray of MtcEndpoint, or NULL */
  gboolean returned;
} Lookup;

/* One question; holds the task. */
typedef struct {
  GTask *task;
  guint index;
} Question;

static void
endpoints_unref (GPtrArray *endpoints)
{
  if (endpoints != NULL)
    g_ptr_array_unref (endpoints);
}

static void
lookup_free (Lookup *lookup)
{
  mtc_email_address_free (lookup->address);
  g_clear_pointer (&lookup->notes, g_ptr_array_unref);
  g_clear_pointer (&lookup->tally, mtc_discovery_tally_unref);
  g_clear_pointer (&lookup->deadline, mtc_deadline_free);
  g_clear_pointer (&lookup->slots, g_ptr_array_unref);
  g_free (lookup);
}

static Question *
question_new (GTask *task,
              guint  index)
{
  Question *question = g_new (Question, 1);

  question->task = g_object_ref (task);
  question->index = index;
  return question;
}

static void
question_free (Question *question)
{
  g_object_unref (question->task);
  g_free (question);
}

/* What question INDEX asked, for the notes; NULL for a single question. */
static char *
question_label (Lookup *lookup,
                guint   index)
{
  switch (lookup->kind)
    {
    case MTC_DISCOVERY_SOURCE_SRV:
      return g_strdup_printf ("_%s._tcp", srv_services[index].service);
    case MTC_DISCOVERY_SOURCE_COMMON_NAMES:
      return g_strconcat (common_names[index].prefix, lookup->address->domain, NULL);
    case MTC_DISCOVERY_SOURCE_PROFILE:
    case MTC_DISCOVERY_SOURCE_AUTOCONFIG:
    case MTC_DISCOVERY_SOURCE_MX:
    case MTC_DISCOVERY_N_SOURCES:
    default:
      return NULL;
    }
}

/* Ends the operation: the endpoints of every slot, in the slots' order;
 * nothing once the time ran out, even where some questions had answered. */
static void
lookup_return (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);

  lookup->returned = TRUE;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      mtc_deadline_cancel (lookup->deadline);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The search was cancelled."));
      return;
    }
  if (!mtc_deadline_expired (lookup->deadline))
    for (guint i = 0; i < lookup->slots->len; i++)
      {
        GPtrArray *found = g_ptr_array_index (lookup->slots, i);

        for (guint k = 0; found != NULL && k < found->len; k++)
          mtc_endpoints_add_unique (endpoints, mtc_endpoint_copy (g_ptr_array_index (found, k)));
      }
  mtc_deadline_cancel (lookup->deadline);
  if (endpoints->len == 0)
    g_task_return_new_error (task, MTC_ERROR, MTC_ERROR_NOT_FOUND, "%s", "nothing found");
  else
    g_task_return_pointer (task, g_steal_pointer (&endpoints), (GDestroyNotify) g_ptr_array_unref);
}

/* Whether an answer still matters. */
static gboolean
question_wanted (Question *question)
{
  Lookup *lookup = g_task_get_task_data (question->task);

  return !lookup->returned && !g_cancellable_is_cancelled (g_task_get_cancellable (question->task));
}

/* Files an answer (FOUND may be NULL or empty); the last one ends the
 * operation, unless the deadline already did. */
static void
question_answered (Question  *question,
                   GPtrArray *found)
{
  Lookup *lookup = g_task_get_task_data (question->task);

  lookup->answered |= G_GUINT64_CONSTANT (1) << question->index;
  if (found != NULL && found->len > 0)
    g_ptr_array_index (lookup->slots, question->index) = g_ptr_array_ref (found);
  if (--lookup->n_pending == 0 && !lookup->returned)
    lookup_return (question->task);
}

/* The time is up: the questions that got no answer are named. */
static void
deadline_expired (gpointer user_data)
{
  GTask *task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autofree char *note = mtc_discovery_describe_timeout (lookup->timeout_ms);

  if (lookup->returned)
    return;
  for (guint i = 0; i < lookup->slots->len; i++)
    if (!(lookup->answered & (G_GUINT64_CONSTANT (1) << i)))
      {
        g_autofree char *label = question_label (lookup, i);

        mtc_discovery_tally_add_silent (lookup->tally);
        if (label != NULL)
          mtc_discovery_note (lookup->notes, lookup->kind, "%s: %s", label, note);
        else
          mtc_discovery_note (lookup->notes, lookup->kind, "%s", note);
      }
  lookup_return (task);
}

static GTask *
lookup_task_new (MtcDiscoverySource     kind,
                 const MtcEmailAddress *address,
                 guint                  n_questions,
                 guint                  timeout_ms,
                 GPtrArray             *notes,
                 MtcDiscoveryTally     *tally,
                 GCancellable          *cancellable,
                 GAsyncReadyCallback    callback,
                 gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, mtc_dns_source_async);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  lookup->kind = kind;
  lookup->address = mtc_email_address_copy (address);
  lookup->timeout_ms = timeout_ms;
  lookup->notes = g_ptr_array_ref (notes);
  lookup->tally = mtc_discovery_tally_ref (tally);
  lookup->n_pending = n_questions;
  lookup->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoints_unref);
  g_ptr_array_set_size (lookup->slots, n_questions);
  /* The task outlives the deadline: the deadline is its data. */
  lookup->deadline = mtc_deadline_new (timeout_ms, cancellable, "[mtc] discovery deadline");
  mtc_deadline_set_expired_func (lookup->deadline, deadline_expired, task);
  return task;
}

static GCancellable *
lookup_cancellable (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);

  return mtc_deadline_get_cancellable (lookup->deadline);
}

/* Endpoints on HOST for SCHEMES (NULL: the six standard ports), each with SOURCE. */
static GPtrArray *
endpoints_for_host (const char        *host,
                    const char *const *schemes,
                    const char        *source)
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

/* ------------------------------------------------------------ SRV */

/* The SRV records come as records rather than through
 * g_resolver_lookup_service_async(), which sorts a lone "." away and so
 * cannot tell "not offered" (RFC 2782) from "no record". */
static void
srv_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Question *question = user_data;
  Lookup *lookup = g_task_get_task_data (question->task);
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_endpoint_free);
  const char *service = srv_services[question->index].service;

  if (question_wanted (question))
    {
      GList *targets = NULL;
      gboolean not_offered = FALSE;
      gboolean offline = mtc_discovery_tally_add (lookup->tally, error);

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
          g_autofree char *url = g_strdup_printf ("%s://%s:%u", srv_services[question->index].scheme,
                                                  g_srv_target_get_hostname (target), g_srv_target_get_port (target));
          g_autoptr(GError) parse_error = NULL;
          MtcEndpoint *endpoint = mtc_endpoint_parse (url, &parse_error);

          if (endpoint == NULL)
            mtc_discovery_note (lookup->notes, lookup->kind, "_%s._tcp: %s", service, parse_error->message);
          else
            {
              /* TRANSLATORS: where an endpoint came from, in the report; %s is a DNS name */
              endpoint->source = g_strdup_printf (_("SRV record _%s._tcp.%s"), service, lookup->address->domain);
              mtc_discovery_note (lookup->notes, lookup->kind, "_%s._tcp: %s:%u", service, endpoint->host_display,
                                  endpoint->port);
              g_ptr_array_add (found, endpoint);
            }
        }
      else if (not_offered)
        /* TRANSLATORS: an SRV record whose target is "." */
        mtc_discovery_note (lookup->notes, lookup->kind, "_%s._tcp: %s", service, _("not offered, the domain says"));
      else
        {
          g_autofree char *problem = error ? mtc_discovery_describe_error (error, offline)
                                          : g_strdup (_("no such record"));

          mtc_discovery_note (lookup->notes, lookup->kind, "_%s._tcp: %s", service, problem);
        }
      g_resolver_free_targets (targets);
    }
  question_answered (question, found);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  question_free (question);
}


static void
ask_srv (GTask                 *task,
         GResolver             *resolver,
         const MtcEmailAddress *address,
         guint                  index)
{
  g_autofree char *rrname = g_strdup_printf ("_%s._tcp.%s", srv_services[index].service, address->domain);

  g_debug ("discovery: srv: looking up %s", rrname);
  g_resolver_lookup_records_async (resolver, rrname, G_RESOLVER_RECORD_SRV, lookup_cancellable (task), srv_done_cb,
                                   question_new (task, index));
}

/* ------------------------------------------------------------ MX */

static void
mx_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Question *question = user_data;
  Lookup *lookup = g_task_get_task_data (question->task);
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) found = NULL;

  if (question_wanted (question))
    {
      const char *best = NULL;
      guint16 best_preference = G_MAXUINT16;
      gboolean offline = mtc_discovery_tally_add (lookup->tally, error);

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
          g_autofree char *problem = mtc_discovery_describe_error (error, offline);

          mtc_discovery_note (lookup->notes, lookup->kind, "%s", problem);
        }
      else if (best == NULL || *best == '\0' || strcmp (best, ".") == 0)
        /* TRANSLATORS: RFC 7505 "null MX" */
        mtc_discovery_note (lookup->notes, lookup->kind, "%s", _("the domain says it receives no mail"));
      else
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is the MX host name */
          g_autofree char *label = g_strdup_printf (_("guess from MX %s (the domain’s incoming mail server)"), best);

          found = endpoints_for_host (best, NULL, label);
          if (found == NULL || found->len == 0)
            /* TRANSLATORS: what a DNS record gave; %s is the name it holds */
            mtc_discovery_note (lookup->notes, lookup->kind, _("%s is not a valid server name"), best);
          else
            mtc_discovery_note (lookup->notes, lookup->kind, "%s", best);
        }
    }
  question_answered (question, found);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  question_free (question);
}


static void
ask_mx (GTask                 *task,
        GResolver             *resolver,
        const MtcEmailAddress *address)
{
  g_debug ("discovery: mx: looking up the MX record of %s", address->domain);
  g_resolver_lookup_records_async (resolver, address->domain, G_RESOLVER_RECORD_MX, lookup_cancellable (task),
                                   mx_done_cb, question_new (task, 0));
}

/* ------------------------------------------------------------ common names */

static void
name_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Question *question = user_data;
  Lookup *lookup = g_task_get_task_data (question->task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) found = NULL;

  if (question_wanted (question))
    {
      g_autofree char *host = g_strconcat (common_names[question->index].prefix, lookup->address->domain, NULL);
      gboolean offline = mtc_discovery_tally_add (lookup->tally, error);

      if (addresses == NULL)
        {
          g_autofree char *problem = mtc_discovery_describe_error (error, offline);

          mtc_discovery_note (lookup->notes, lookup->kind, "%s: %s", host, problem);
        }
      else
        {
          /* TRANSLATORS: where an endpoint came from, in the report; %s is a host name like imap.example.net */
          g_autofree char *label = g_strdup_printf (_("guess from the common name %s"), host);

          found = endpoints_for_host (host, common_names[question->index].schemes, label);
          /* TRANSLATORS: what a guess gave; %s is a server name such as mail.example.net, which was found */
          mtc_discovery_note (lookup->notes, lookup->kind, _("%s exists"), host);
        }
    }
  question_answered (question, found);
  g_resolver_free_addresses (addresses);
  question_free (question);
}


static void
ask_common_name (GTask                 *task,
                 GResolver             *resolver,
                 const MtcEmailAddress *address,
                 guint                  index)
{
  g_autofree char *host = g_strconcat (common_names[index].prefix, address->domain, NULL);

  g_debug ("discovery: common-names: looking up %s", host);
  g_resolver_lookup_by_name_async (resolver, host, lookup_cancellable (task), name_done_cb, question_new (task, index));
}

/* ------------------------------------------------------------ the operation */

/**
 * mtc_dns_source_async:
 * @kind: %MTC_DISCOVERY_SOURCE_SRV, %MTC_DISCOVERY_SOURCE_MX or
 *   %MTC_DISCOVERY_SOURCE_COMMON_NAMES
 *
 * Asks that source's questions at once; finishes with
 * mtc_dns_source_finish().
 */
void
mtc_dns_source_async (MtcDiscoverySource     kind,
                      GResolver             *resolver,
                      const MtcEmailAddress *address,
                      guint                  timeout_ms,
                      GPtrArray             *notes,
                      MtcDiscoveryTally     *tally,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  guint n_questions = kind == MTC_DISCOVERY_SOURCE_SRV ? G_N_ELEMENTS (srv_services)
                      : kind == MTC_DISCOVERY_SOURCE_MX ? 1 : G_N_ELEMENTS (common_names);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (kind == MTC_DISCOVERY_SOURCE_SRV || kind == MTC_DISCOVERY_SOURCE_MX
                    || kind == MTC_DISCOVERY_SOURCE_COMMON_NAMES);

  task = lookup_task_new (kind, address, n_questions, timeout_ms, notes, tally, cancellable, callback, user_data);
  for (guint i = 0; i < n_questions; i++)
    {
      if (kind == MTC_DISCOVERY_SOURCE_SRV)
        ask_srv (task, resolver, address, i);
      else if (kind == MTC_DISCOVERY_SOURCE_MX)
        ask_mx (task, resolver, address);
      else
        ask_common_name (task, resolver, address, i);
    }
}

/* Returns: (transfer full) (element-type MtcEndpoint): what an SRV, MX or
 * common-names operation found, never empty */
GPtrArray *
mtc_dns_source_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
