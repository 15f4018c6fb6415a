/* i18n.c - locale and text-domain setup. */
#include "i18n.h"

#include <locale.h>

static int	 i18n_done;

/* Set the locale and bind the message catalogue (the catalogue only with
 * NLS), once. */
void
aurae_i18n_init(void)
{
	if (i18n_done)
		return;
	i18n_done = 1;
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
}

#ifdef ENABLE_NLS
/* See i18n.h. */
const char *
aurae_gettext(const char *s)
{
	aurae_i18n_init();
	return gettext(s);
}
#endif
