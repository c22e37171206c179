/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mtc-welcome-page.h"

struct _MtcWelcomePage
{
  MtcPage parent_instance;
};

G_DEFINE_FINAL_TYPE (MtcWelcomePage, mtc_welcome_page, MTC_TYPE_PAGE)

static void
mtc_welcome_page_class_init (MtcWelcomePageClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/mailtlscheck/MailTlsCheck/ui/mtc-welcome-page.ui");
}

static void
mtc_welcome_page_init (MtcWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mtc_page_set_title (MTC_PAGE (self), _("Welcome"));
  mtc_page_set_complete (MTC_PAGE (self), TRUE);
  /* It only greets: someone who comes with a support link starts after it. */
  mtc_page_set_skippable (MTC_PAGE (self), TRUE);
}

MtcPage *
mtc_welcome_page_new (MtcSession *session)
{
  return g_object_new (MTC_TYPE_WELCOME_PAGE, "session", session, NULL);
}
