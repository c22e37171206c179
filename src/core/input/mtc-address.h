/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* RFC 5321 limits, in bytes of UTF-8. */
#define MTC_ADDRESS_LOCAL_MAX_LENGTH 64
#define MTC_ADDRESS_MAX_LENGTH 254

/* An e-mail address, checked: one "@", a local part and a domain. */
typedef struct {
  char *local;           /* the part before "@", as typed (may be Unicode, RFC 6531) */
  char *domain;          /* the domain in its ASCII form (punycode), lower case: for DNS and HTTP */
  char *domain_display;  /* the same domain as a person writes it (Unicode) */
  char *address;         /* local@domain_display: what the user sees */
  char *address_ascii;   /* local@domain: what goes into the autoconfig query */
} MtcEmailAddress;

GType            mtc_email_address_get_type   (void) G_GNUC_CONST;
MtcEmailAddress *mtc_email_address_parse      (const char            *text,
                                               GError               **error);
MtcEmailAddress *mtc_email_address_copy       (const MtcEmailAddress *address);
void             mtc_email_address_free       (MtcEmailAddress       *address);
gboolean         mtc_text_looks_like_email    (const char            *text);

char            *mtc_domain_to_ascii          (const char            *domain,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtcEmailAddress, mtc_email_address_free)

G_END_DECLS
