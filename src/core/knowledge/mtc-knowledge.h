/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mtc-diagnosis.h"

G_BEGIN_DECLS

/* The knowledge base: which mail program speaks which TLS version on which
 * system, every fact with its sources.  The data lives in
 * data/mail-tls-check.knowledge (its header describes the format). */

#define MTC_KNOWLEDGE_RESOURCE_PATH "/io/github/mailtlscheck/MailTlsCheck/mail-tls-check.knowledge"

#define MTC_KNOWLEDGE_ERROR (mtc_knowledge_error_quark ())

typedef enum {
  MTC_KNOWLEDGE_ERROR_INVALID,     /* the file is not a valid knowledge base */
} MtcKnowledgeError;

typedef enum {
  MTC_CLIENT_KIND_MAIL,
  MTC_CLIENT_KIND_BROWSER,
} MtcClientKind;

/* One [Fact] for one client on one system; owned by the knowledge base. */
typedef struct {
  char *id;                          /* the group name without "Fact " */
  char *client;
  MtcTlsVersion max_tls;             /* MTC_TLS_UNKNOWN when the data says "unknown" */
  gboolean uncertain;
  char *client_version;              /* newest version that runs there, or NULL */
  gboolean client_version_uncertain;
  gboolean security_updates_ended;
  char *tls_library;                 /* whose policy limits it, or NULL */
  char *fix;                         /* a [Fix] id, or NULL */
  MtcTlsVersion max_tls_with_fix;    /* MTC_TLS_UNKNOWN without a fix */
  GStrv sources;                     /* [Source] ids, never empty */
} MtcKnowledgeFact;

#define MTC_TYPE_KNOWLEDGE (mtc_knowledge_get_type ())
G_DECLARE_FINAL_TYPE (MtcKnowledge, mtc_knowledge, MTC, KNOWLEDGE, GObject)

GQuark                  mtc_knowledge_error_quark        (void);

MtcKnowledge           *mtc_knowledge_new_default        (GError        **error);
MtcKnowledge           *mtc_knowledge_new_from_data      (const char     *data,
                                                          gssize          length,
                                                          GError        **error);

GStrv                   mtc_knowledge_list_clients       (MtcKnowledge   *self);
GStrv                   mtc_knowledge_list_systems       (MtcKnowledge   *self);
gboolean                mtc_knowledge_has_client         (MtcKnowledge   *self,
                                                          const char     *client);
gboolean                mtc_knowledge_has_system         (MtcKnowledge   *self,
                                                          const char     *system);
char                   *mtc_knowledge_get_client_name    (MtcKnowledge   *self,
                                                          const char     *client);
char                   *mtc_knowledge_get_system_name    (MtcKnowledge   *self,
                                                          const char     *system);
MtcClientKind           mtc_knowledge_get_client_kind    (MtcKnowledge   *self,
                                                          const char     *client);
const char             *mtc_knowledge_get_system_family  (MtcKnowledge   *self,
                                                          const char     *system);
int                     mtc_knowledge_compare_systems    (MtcKnowledge   *self,
                                                          const char     *a,
                                                          const char     *b);

const MtcKnowledgeFact *mtc_knowledge_lookup             (MtcKnowledge   *self,
                                                          const char     *client,
                                                          const char     *system);
MtcTlsVersion           mtc_knowledge_get_max_tls        (MtcKnowledge   *self,
                                                          const char     *client,
                                                          const char     *system,
                                                          gboolean       *uncertain);
GPtrArray              *mtc_knowledge_list_facts         (MtcKnowledge   *self);
char                   *mtc_knowledge_get_fact_note      (MtcKnowledge   *self,
                                                          const MtcKnowledgeFact *fact);
GStrv                   mtc_knowledge_clients_on_system  (MtcKnowledge   *self,
                                                          const char     *system,
                                                          MtcClientKind   kind);
char                   *mtc_knowledge_first_system_reaching (MtcKnowledge *self,
                                                          const char     *client,
                                                          const char     *family,
                                                          MtcTlsVersion   version);

char                   *mtc_knowledge_newest_system_for_model (MtcKnowledge *self,
                                                          const char     *model,
                                                          char          **condition);
char                   *mtc_knowledge_client_for_app_id  (MtcKnowledge   *self,
                                                          const char     *app_id);

char                   *mtc_knowledge_get_fix_title      (MtcKnowledge   *self,
                                                          const char     *fix);
char                   *mtc_knowledge_get_fix_text       (MtcKnowledge   *self,
                                                          const char     *fix);
char                   *mtc_knowledge_get_fix_url        (MtcKnowledge   *self,
                                                          const char     *fix);
gboolean                mtc_knowledge_get_fix_uncertain  (MtcKnowledge   *self,
                                                          const char     *fix);

char                   *mtc_knowledge_describe_sources   (MtcKnowledge   *self,
                                                          const char * const *sources);

G_END_DECLS
