/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mtc-accounts.h"
#include "mtc-accounts-private.h"
#include "mtc-apple-mail.h"
#include "mtc-quote.h"

/* One reader per mail program: adds what it finds in HOME to ACCOUNTS and
 * one sentence per refused file to PROBLEMS. */
typedef void (*AccountsReader) (const char *home,
                                GPtrArray  *accounts,
                                GPtrArray  *problems);

static const AccountsReader readers[] = {
  mtc_accounts_read_thunderbird,
  mtc_accounts_read_evolution,
  mtc_accounts_read_geary,
  mtc_accounts_read_claws,
  mtc_accounts_read_kmail,
  mtc_apple_mail_read,
};

/* Why a file could not be opened, in the report's language where the
 * system's own words would be technical. */
static void
set_errno_error (GError **error,
                 int      saved)
{
  const char *reason;

  switch (saved)
    {
    case ELOOP:
      reason = _("it is a link that leads back to itself");
      break;
    case EACCES:
    case EPERM:
      reason = _("this user may not open it");
      break;
    default:
      reason = g_strerror (saved);
      break;
    }
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), reason);
}

gboolean
mtc_accounts_read_file (const char  *path,
                        gsize        max_size,
                        char       **contents,
                        gsize       *length,
                        GError     **error)
{
  g_autoptr(GString) data = NULL;
  struct stat st;
  int fd;
  int saved;

  /* O_NONBLOCK: a FIFO in place of a settings file must not hang the
   * program; the symbolic-link limit of open() ends a loop (ELOOP). */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("it is not an ordinary file"));
      return FALSE;
    }
  if ((guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("it is larger than %lu MiB, far more than a mail program’s settings take"),
                   (unsigned long) (max_size / (1024 * 1024)));
      return FALSE;
    }
  data = g_string_sized_new ((gsize) st.st_size + 1);
  for (;;)
    {
      char buffer[65536];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          set_errno_error (error, saved);
          return FALSE;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > max_size)
        {
          close (fd);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("it is larger than %lu MiB, far more than a mail program’s settings take"),
                       (unsigned long) (max_size / (1024 * 1024)));
          return FALSE;
        }
      g_string_append_len (data, buffer, n);
    }
  close (fd);
  *length = data->len;
  *contents = g_string_free (g_steal_pointer (&data), FALSE);
  return TRUE;
}

GKeyFile *
mtc_accounts_load_key_file (const char *program,
                            const char *path,
                            GPtrArray  *problems)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!mtc_accounts_read_file (path, MTC_ACCOUNTS_MAX_FILE_SIZE, &contents, &length, &error))
    {
      /* Not there (or a file where a folder should be): nothing set up. */
      if (problems != NULL && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        mtc_accounts_add_problem (problems, program, path, error->message);
      return NULL;
    }
  /* GKeyFile's own messages quote the offending line, which may hold a
   * password: say what is wrong without it. */
  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, NULL))
    {
      if (problems != NULL)
        mtc_accounts_add_problem (problems, program, path,
                                  _("its contents are not in the form the program writes"));
      return NULL;
    }
  return g_steal_pointer (&key_file);
}

char *
mtc_accounts_get_text (GKeyFile   *key_file,
                       const char *group,
                       const char *key)
{
  g_autofree char *value = g_key_file_get_value (key_file, group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

void
mtc_accounts_add_problem (GPtrArray  *problems,
                          const char *program,
                          const char *path,
                          const char *reason)
{
  g_autofree char *quoted_path = mtc_quote_text (path, -1, 300);
  g_autofree char *quoted_reason = mtc_quote_text (reason, -1, 300);

  g_debug ("accounts: %s: %s", quoted_path, quoted_reason);
  g_ptr_array_add (problems,
                   /* TRANSLATORS: %1$s is a mail program ("Thunderbird"), %2$s a file,
                    * %3$s why it could not be read */
                   g_strdup_printf (_("%1$s’s settings file %2$s could not be read: %3$s."),
                                    mtc_account_program_name (program), quoted_path, quoted_reason));
}

GPtrArray *
mtc_accounts_find (const char *home,
                   GPtrArray **problems)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mtc_account_free);
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);

  if (home == NULL)
    home = g_get_home_dir ();

  for (gsize i = 0; i < G_N_ELEMENTS (readers); i++)
    readers[i] (home, accounts, sentences);

  if (problems != NULL)
    *problems = g_steal_pointer (&sentences);
  return g_steal_pointer (&accounts);
}
