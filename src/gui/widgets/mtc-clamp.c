/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mtc-clamp.h"

/* A container that gives its child at most a given number of average
 * characters of width, centred: lines of text stay short enough to read
 * however wide the window is (issue 12: about 70 characters). */
struct _MtcClamp
{
  GtkBin parent_instance;

  int max_width_chars;
};

G_DEFINE_FINAL_TYPE (MtcClamp, mtc_clamp, GTK_TYPE_BIN)

/* The widest the child may be, in pixels, in the widget's own font. */
static int
max_width (MtcClamp *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = pango_font_metrics_get_approximate_char_width (metrics);

  pango_font_metrics_unref (metrics);
  return PANGO_PIXELS (char_width * self->max_width_chars);
}

static void
mtc_clamp_get_preferred_width (GtkWidget *widget,
                               int       *minimum,
                               int       *natural)
{
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (widget));

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_get_visible (child))
    return;
  gtk_widget_get_preferred_width (child, minimum, natural);
  *natural = MAX (*minimum, MIN (*natural, max_width (MTC_CLAMP (widget))));
}

static void
mtc_clamp_get_preferred_height_for_width (GtkWidget *widget,
                                          int        width,
                                          int       *minimum,
                                          int       *natural)
{
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (widget));
  int child_min = 0, child_nat = 0;

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_get_visible (child))
    return;
  gtk_widget_get_preferred_width (child, &child_min, &child_nat);
  width = MAX (child_min, MIN (width, max_width (MTC_CLAMP (widget))));
  gtk_widget_get_preferred_height_for_width (child, width, minimum, natural);
}

static void
mtc_clamp_get_preferred_height (GtkWidget *widget,
                                int       *minimum,
                                int       *natural)
{
  int width = 0, ignored = 0;

  mtc_clamp_get_preferred_width (widget, &width, &ignored);
  mtc_clamp_get_preferred_height_for_width (widget, width, minimum, natural);
}

static GtkSizeRequestMode
mtc_clamp_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mtc_clamp_size_allocate (GtkWidget     *widget,
                         GtkAllocation *allocation)
{
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (widget));
  GtkAllocation inner = *allocation;
  int child_min = 0, child_nat = 0;

  gtk_widget_set_allocation (widget, allocation);
  if (child == NULL || !gtk_widget_get_visible (child))
    return;
  gtk_widget_get_preferred_width (child, &child_min, &child_nat);
  inner.width = MAX (child_min, MIN (allocation->width, max_width (MTC_CLAMP (widget))));
  inner.x += (allocation->width - inner.width) / 2;
  gtk_widget_size_allocate (child, &inner);
}

static void
mtc_clamp_class_init (MtcClampClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_preferred_width = mtc_clamp_get_preferred_width;
  widget_class->get_preferred_height = mtc_clamp_get_preferred_height;
  widget_class->get_preferred_height_for_width = mtc_clamp_get_preferred_height_for_width;
  widget_class->get_request_mode = mtc_clamp_get_request_mode;
  widget_class->size_allocate = mtc_clamp_size_allocate;
}

static void
mtc_clamp_init (MtcClamp *self)
{
  gtk_widget_set_has_window (GTK_WIDGET (self), FALSE);
  self->max_width_chars = 70;
}

GtkWidget *
mtc_clamp_new (int max_width_chars)
{
  MtcClamp *self = g_object_new (MTC_TYPE_CLAMP, NULL);

  self->max_width_chars = max_width_chars;
  return GTK_WIDGET (self);
}
