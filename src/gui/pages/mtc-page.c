/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-page.h"

typedef struct
{
  MtcSession *session;
  char *title;
  gboolean complete;
  gboolean busy;
} MtcPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (MtcPage, mtc_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mtc_page_finalize (GObject *object)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (MTC_PAGE (object));

  g_clear_object (&priv->session);
  g_free (priv->title);
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
    case PROP_BUSY:
      mtc_page_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mtc_page_class_init (MtcPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mtc_page_finalize;
  object_class->get_property = mtc_page_get_property;
  object_class->set_property = mtc_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MTC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "mtcpage");
}

static void
mtc_page_init (MtcPage *self)
{
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
  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
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
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

gboolean
mtc_page_get_busy (MtcPage *self)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_val_if_fail (MTC_IS_PAGE (self), FALSE);
  return priv->busy;
}

void
mtc_page_set_busy (MtcPage *self,
                   gboolean busy)
{
  MtcPagePrivate *priv = mtc_page_get_instance_private (self);

  g_return_if_fail (MTC_IS_PAGE (self));
  busy = !!busy;
  if (priv->busy == busy)
    return;
  priv->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
mtc_page_shown (MtcPage *self)
{
  g_return_if_fail (MTC_IS_PAGE (self));
  if (MTC_PAGE_GET_CLASS (self)->shown != NULL)
    MTC_PAGE_GET_CLASS (self)->shown (self);
}
