/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mtc-session.h"

G_BEGIN_DECLS

/* One page of the wizard.  Everything in which pages differ is said here,
 * so that the window walks its list of pages knowing none of them:
 *
 *   title        the window's subtitle while the page is shown
 *   complete     the person may go on (Next is sensitive)
 *   busy         the page is working (its apply runs): Back and Next wait,
 *                Cancel stops the work
 *   next-label   the Next button's label on this page (%NULL: "Next", and
 *                "Finish" on the last page, where it closes the window)
 *   skippable    the page asks nothing of the person: the wizard leaves it
 *                out when it starts over with what the session holds
 *   revisitable  Back may return to the page (else Back passes it by)
 *   automatic    the page applies itself as soon as it is shown, and the
 *                wizard moves on when that is done: no Next to press
 *
 * Going on from a page applies it first (the apply vfunc, which may work
 * for a while): the wizard moves on when the apply succeeds, and when it
 * fails it returns to the nearest earlier page that shows the error itself
 * (the show_error vfunc: the page where the person can act on it), else to
 * the last page that can be revisited, and shows the error's message
 * (unless the error is MTC_PAGE_ERROR_SHOWN_ON_PAGE: the page says why
 * itself, next to what is wrong).
 *
 * A page emits "check-again" when the person asks to run the check again
 * (mtc_page_check_again()): the wizard shows the nearest automatic page
 * again, before the page or else after it, which starts its work anew. */
#define MTC_PAGE_ERROR (mtc_page_error_quark ())

typedef enum {
  /* The apply failed and the page itself shows why, next to what is wrong:
   * the wizard stays on the page and adds no message of its own. */
  MTC_PAGE_ERROR_SHOWN_ON_PAGE,
} MtcPageError;

GQuark mtc_page_error_quark (void);

#define MTC_TYPE_PAGE (mtc_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (MtcPage, mtc_page, MTC, PAGE, GtkBox)

struct _MtcPageClass
{
  GtkBoxClass parent_class;

  /* The page is about to be shown (again): bring it up to date. */
  void     (*shown)        (MtcPage             *self);
  /* What the page does before the wizard moves on; without it the wizard
   * moves on at once.  The error's message is shown to the person.  The
   * default apply_finish takes the boolean of a GTask whose source is the
   * page. */
  void     (*apply_async)  (MtcPage             *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*apply_finish) (MtcPage             *self,
                            GAsyncResult        *result,
                            GError             **error);
  /* A later page's apply failed with @error: show it here and return
   * TRUE where this page is where the person can act on it. */
  gboolean (*show_error)   (MtcPage             *self,
                            const GError        *error);
};

MtcSession *mtc_page_get_session     (MtcPage              *self);
const char *mtc_page_get_title       (MtcPage              *self);
void        mtc_page_set_title       (MtcPage              *self,
                                      const char           *title);
gboolean    mtc_page_get_complete    (MtcPage              *self);
void        mtc_page_set_complete    (MtcPage              *self,
                                      gboolean              complete);
gboolean    mtc_page_get_busy        (MtcPage              *self);
const char *mtc_page_get_next_label  (MtcPage              *self);
void        mtc_page_set_next_label  (MtcPage              *self,
                                      const char           *next_label);
gboolean    mtc_page_get_skippable   (MtcPage              *self);
void        mtc_page_set_skippable   (MtcPage              *self,
                                      gboolean              skippable);
gboolean    mtc_page_get_revisitable (MtcPage              *self);
void        mtc_page_set_revisitable (MtcPage              *self,
                                      gboolean              revisitable);
gboolean    mtc_page_get_automatic   (MtcPage              *self);
void        mtc_page_set_automatic   (MtcPage              *self,
                                      gboolean              automatic);

void        mtc_page_shown           (MtcPage              *self);
void        mtc_page_apply_async     (MtcPage              *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    mtc_page_apply_finish    (MtcPage              *self,
                                      GAsyncResult         *result,
                                      GError              **error);
gboolean    mtc_page_show_error      (MtcPage              *self,
                                      const GError         *error);
void        mtc_page_check_again     (MtcPage              *self);

void        mtc_page_fit_combo_box   (GtkComboBox          *combo);

G_END_DECLS
