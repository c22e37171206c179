/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-window-title.h"

/* The header bar's title and subtitle, shown whole or not at all: where
 * the buttons leave too little room (a window 360 pixels wide) the title
 * steps aside instead of shrinking to "Mail-…", and it never makes the
 * window wider. */
struct _MtcWindowTitle
{
  GtkBox parent_instance;

  GtkLabel *title;
  GtkLabel *subtitle;
};

G_DEFINE_FINAL_TYPE (MtcWindowTitle, mtc_window_title, GTK_TYPE_BOX)

static void
mtc_window_title_get_preferred_width (GtkWidget *widget,
                                      int       *minimum,
                                      int       *natural)
{
  GTK_WIDGET_CLASS (mtc_window_title_parent_class)->get_preferred_width (widget, minimum, natural);
  *minimum = 0;
}

static void
mtc_window_title_size_allocate (GtkWidget     *widget,
                                GtkAllocation *allocation)
{
  int minimum = 0, natural = 0;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));
  GtkAllocation whole = *allocation;

  GTK_WIDGET_CLASS (mtc_window_title_parent_class)->get_preferred_width (widget, &minimum, &natural);
  for (GList *l = children; l; l = l->next)
    gtk_widget_set_child_visible (l->data, allocation->width >= natural);
  /* Hidden children still get their whole width, so that none is squeezed. */
  whole.width = MAX (allocation->width, natural);
  GTK_WIDGET_CLASS (mtc_window_title_parent_class)->size_allocate (widget, &whole);
  gtk_widget_set_allocation (widget, allocation);
}

static void
mtc_window_title_class_init (MtcWindowTitleClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_preferred_width = mtc_window_title_get_preferred_width;
  widget_class->size_allocate = mtc_window_title_size_allocate;
}

static void
mtc_window_title_init (MtcWindowTitle *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  self->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->title)), "title");
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->subtitle)), "subtitle");
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->subtitle)), "dim-label");
  gtk_container_add (GTK_CONTAINER (self), GTK_WIDGET (self->title));
  gtk_container_add (GTK_CONTAINER (self), GTK_WIDGET (self->subtitle));
  gtk_widget_show (GTK_WIDGET (self->title));
}

GtkWidget *
mtc_window_title_new (const char *title)
{
  MtcWindowTitle *self = g_object_new (MTC_TYPE_WINDOW_TITLE, NULL);

  gtk_label_set_text (self->title, title);
  return GTK_WIDGET (self);
}

void
mtc_window_title_set_subtitle (MtcWindowTitle *self,
                               const char     *subtitle)
{
  g_return_if_fail (MTC_IS_WINDOW_TITLE (self));
  gtk_label_set_text (self->subtitle, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), subtitle != NULL && *subtitle != '\0');
}
