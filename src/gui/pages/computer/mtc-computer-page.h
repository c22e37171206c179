/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mtc-page.h"

G_BEGIN_DECLS

#define MTC_TYPE_COMPUTER_PAGE (mtc_computer_page_get_type ())
G_DECLARE_FINAL_TYPE (MtcComputerPage, mtc_computer_page, MTC, COMPUTER_PAGE, MtcPage)

MtcPage *mtc_computer_page_new (MtcSession *session);

G_END_DECLS
