/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-page.h"

typedef struct
{
  MtcSession *session;
  char *title;
  char *next_label;
  gboolean complete;
  gboolean busy;
  gboolean skippable;
  gboolean revisitable;
  gboolean automatic;
} MtcPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MtcPage, mtc_page, GTK_TYPE_BOX)
G_DEFINE_QUARK (mtc-page-error-quark, mtc_page_error)

static guint check_again_signal;

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_BUSY,
  PROP_NEXT_LABEL,
  PROP_SKIPPABLE,
  PROP_REVISITABLE,
  PROP_AUTOMATIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_flag (MtcPage  *self,
          gboolean *flag,
          gboolean  value,
          guint     prop_id)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (MtcPage     *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* The end of an apply that a GTask of the page's own carried. */
static gboolean
propagate_applied (MtcPage       *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
subclass_applied_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MtcPage *self = MTC_PAGE (source);
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  set_flag (self, &priv->busy, FALSE, PROP_BUSY);
  if (MTC_PAGE_GET_CLASS (self)->apply_finish (self, result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
mtc_page_finalize (GObject *object)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (MTC_PAGE (object));

  g_clear_object (&priv->session);
  g_free (priv->title);
  g_free (priv->next_label);
  G_OBJECT_CLASS (mtc_page_parent_class)->finalize (object);
}

static void
mtc_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MtcPage *self = MTC_PAGE (object);
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, priv->next_label);
      break;
    case PROP_SKIPPABLE:
      g_value_set_boolean (value, priv->skippable);
      break;
    case PROP_REVISITABLE:
      g_value_set_boolean (value, priv->revisitable);
      break;
    case PROP_AUTOMATIC:
      g_value_set_boolean (value, priv->automatic);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MtcPage *self = MTC_PAGE (object);
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      mtc_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      mtc_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_LABEL:
      mtc_page_set_next_label (self, g_value_get_string (value));
      break;
    case PROP_SKIPPABLE:
      mtc_page_set_skippable (self, g_value_get_boolean (value));
      break;
    case PROP_REVISITABLE:
      mtc_page_set_revisitable (self, g_value_get_boolean (value));
      break;
    case PROP_AUTOMATIC:
      mtc_page_set_automatic (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_page_class_init (MtcPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = mtc_page_finalize;
  object_class->get_property = mtc_page_get_property;
  object_class->set_property = mtc_page_set_property;
  klass->apply_finish = propagate_applied;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MTC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NEXT_LABEL] = g_param_spec_string ("next-label", NULL, NULL, NULL, flags);
  properties[PROP_SKIPPABLE] = g_param_spec_boolean ("skippable", NULL, NULL, FALSE, flags);
  properties[PROP_REVISITABLE] = g_param_spec_boolean ("revisitable", NULL, NULL, TRUE, flags);
  properties[PROP_AUTOMATIC] = g_param_spec_boolean ("automatic", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The person asked to run the check again (mtc_page_check_again()). */
  check_again_signal = g_signal_new ("check-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                     NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "mtcpage");
}

static void
mtc_page_init (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  priv->revisitable = TRUE;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

MtcSession *
mtc_page_get_session (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), NULL);
  return priv->session;
}

const char *
mtc_page_get_title (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), NULL);
  return priv->title;
}

void
mtc_page_set_title (MtcPage    *self,
                    const char *title)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_string (self, &priv->title, title, PROP_TITLE);
}

gboolean
mtc_page_get_complete (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  return priv->complete;
}

void
mtc_page_set_complete (MtcPage *self,
                       gboolean complete)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_flag (self, &priv->complete, complete, PROP_COMPLETE);
}

gboolean
mtc_page_get_busy (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  return priv->busy;
}

const char *
mtc_page_get_next_label (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), NULL);
  return priv->next_label;
}

void
mtc_page_set_next_label (MtcPage    *self,
                         const char *next_label)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_string (self, &priv->next_label, next_label, PROP_NEXT_LABEL);
}

gboolean
mtc_page_get_skippable (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  return priv->skippable;
}

void
mtc_page_set_skippable (MtcPage *self,
                        gboolean skippable)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_flag (self, &priv->skippable, skippable, PROP_SKIPPABLE);
}

gboolean
mtc_page_get_revisitable (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), TRUE);
  return priv->revisitable;
}

void
mtc_page_set_revisitable (MtcPage *self,
                          gboolean revisitable)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_flag (self, &priv->revisitable, revisitable, PROP_REVISITABLE);
}

gboolean
mtc_page_get_automatic (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  return priv->automatic;
}

void
mtc_page_set_automatic (MtcPage *self,
                        gboolean automatic)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  set_flag (self, &priv->automatic, automatic, PROP_AUTOMATIC);
}

void
mtc_page_shown (MtcPage *self)
{
  g_return_if_fail (MTC_IS_PAGE (self));
  if (MTC_PAGE_GET_CLASS (self)->shown != NULL)
    MTC_PAGE_GET_CLASS (self)->shown (self);
}

/* Does what the page does before the wizard moves on; the page is busy
 * meanwhile.  A page without work succeeds at once. */
void
mtc_page_apply_async (MtcPage             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);
  MtcPageClass *klass;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MTC_IS_PAGE (self));
  g_return_if_fail (!priv->busy);

  klass = MTC_PAGE_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mtc_page_apply_async);
  /* The page says how its work ended, a cancellation too. */
  g_task_set_check_cancellable (task, FALSE);
  if (klass->apply_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  set_flag (self, &priv->busy, TRUE, PROP_BUSY);
  klass->apply_async (self, cancellable, subclass_applied_cb, g_steal_pointer (&task));
}

gboolean
mtc_page_apply_finish (MtcPage       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return propagate_applied (self, result, error);
}

/* A later page's apply failed with ERROR: TRUE when this page showed it,
 * being where the person can act on it. */
gboolean
mtc_page_show_error (MtcPage      *self,
                     const GError *error)
{
  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);
  if (MTC_PAGE_GET_CLASS (self)->show_error == NULL)
    return FALSE;
  return MTC_PAGE_GET_CLASS (self)->show_error (self, error);
}

/* Asks the wizard to run the check again (a "Check Again" button). */
void
mtc_page_check_again (MtcPage *self)
{
  g_return_if_fail (MTC_IS_PAGE (self));
  g_signal_emit (self, check_again_signal, 0);
}

/* Cuts long entries short with "…" in the closed COMBO (the open list shows
 * them whole): a combo box otherwise asks for the width of its longest
 * entry, and a long provider or system name in a long language would make
 * the window wider than 360 pixels. */
void
mtc_page_fit_combo_box (GtkComboBox *combo)
{
  g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (combo));

  for (GList *l = cells; l; l = l->next)
    if (GTK_IS_CELL_RENDERER_TEXT (l->data))
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
}
