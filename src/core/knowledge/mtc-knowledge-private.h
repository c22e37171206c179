/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Inside knowledge only: the knowledge base's fields, shared by the object
 * and its questions (mtc-knowledge.c) and the reader of the knowledge file
 * (mtc-knowledge-file.c).  The public API is mtc-knowledge.h. */

#include "mtc-knowledge.h"

G_BEGIN_DECLS

struct _MtcKnowledge
{
  GObject parent_instance;

  GKeyFile *file;
  GPtrArray *clients;       /* of char *, in file order */
  GPtrArray *systems;       /* of char *, in file order */
  GPtrArray *facts;         /* of MtcKnowledgeFact * */
  GHashTable *fact_index;   /* "client\nsystem" → MtcKnowledgeFact * (borrowed) */
  GHashTable *models;       /* lower-case model identifier → [Macs] group name */
};

static inline char *
group_name (const char *kind,
            const char *id)
{
  return g_strdup_printf ("%s %s", kind, id);
}

static inline char *
fact_key (const char *client,
          const char *system)
{
  return g_strdup_printf ("%s\n%s", client, system);
}

static inline gboolean
has_group (MtcKnowledge *self,
           const char   *kind,
           const char   *id)
{
  g_autofree char *group = group_name (kind, id);

  return g_key_file_has_group (self->file, group);
}

gboolean mtc_knowledge_read_key_file (MtcKnowledge *self,
                                      const char   *data,
                                      gssize        length,
                                      GError      **error);

G_END_DECLS
