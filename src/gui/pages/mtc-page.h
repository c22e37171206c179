/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mtc-session.h"

G_BEGIN_DECLS

/* One page of the wizard.  A page says when the person may go on
 * ("complete") and when it is working ("busy"); the window only reacts to
 * those. */
#define MTC_TYPE_PAGE (mtc_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (MtcPage, mtc_page, MTC, PAGE, GtkBox)

struct _MtcPageClass
{
  GtkBoxClass parent_class;

  /* The page is about to be shown (again): bring it up to date. */
  void (*shown) (MtcPage *self);
};

MtcSession *mtc_page_get_session  (MtcPage    *self);
const char *mtc_page_get_title    (MtcPage    *self);
void        mtc_page_set_title    (MtcPage    *self,
                                   const char *title);
gboolean    mtc_page_get_complete (MtcPage    *self);
void        mtc_page_set_complete (MtcPage    *self,
                                   gboolean    complete);
gboolean    mtc_page_get_busy     (MtcPage    *self);
void        mtc_page_set_busy     (MtcPage    *self,
                                   gboolean    busy);
void        mtc_page_shown        (MtcPage    *self);

G_END_DECLS
