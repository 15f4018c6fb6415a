/* hashtab.c - a chained hash table that grows (see hashtab.h). */
#include "hashtab.h"

#include <errno.h>
#include <stdlib.h>

#define INIT_BITS	10
#define MAX_BITS	30
#define GOLDEN		0x9E3779B97F4A7C15ULL

/* The chain pointer of entry e. */
static void **
link_of(const struct hashtab *t, const void *e)
{
	return (void **)(void *)((char *)(uintptr_t)e + t->link);
}

/* The chain index of hash h in a table of 1 << bits chains. */
static size_t
index_of(uint64_t h, unsigned bits)
{
	return (size_t)((h * GOLDEN) >> (64 - bits));
}

/* See hashtab.h. */
int
hashtab_init(struct hashtab *t, size_t link,
    uint64_t (*hash)(const void *entry))
{
	t->chain = calloc((size_t)1 << INIT_BITS, sizeof *t->chain);
	if (t->chain == NULL) {
		errno = ENOMEM;
		return -1;
	}
	t->bits = INIT_BITS;
	t->n = 0;
	t->link = link;
	t->hash = hash;
	return 0;
}

/* See hashtab.h. */
void
hashtab_free(struct hashtab *t)
{
	free(t->chain);
	t->chain = NULL;
	t->n = 0;
}

/* See hashtab.h. */
void *
hashtab_first(const struct hashtab *t, uint64_t h)
{
	return t->chain[index_of(h, t->bits)];
}

/* See hashtab.h. */
void *
hashtab_next(const struct hashtab *t, const void *entry)
{
	return *link_of(t, entry);
}

/* Move every entry into a table twice as large; nothing changes when
 * there is no memory for it. */
static void
grow(struct hashtab *t)
{
	void		**chain, *e, *next;
	unsigned	  bits = t->bits + 1;
	size_t		  i, j;

	if (bits > MAX_BITS ||
	    (chain = calloc((size_t)1 << bits, sizeof *chain)) == NULL)
		return;
	for (i = 0; i < (size_t)1 << t->bits; i++)
		for (e = t->chain[i]; e != NULL; e = next) {
			next = *link_of(t, e);
			j = index_of(t->hash(e), bits);
			*link_of(t, e) = chain[j];
			chain[j] = e;
		}
	free(t->chain);
	t->chain = chain;
	t->bits = bits;
}

/* See hashtab.h. */
void
hashtab_add(struct hashtab *t, void *entry)
{
	size_t	 i;

	if (t->n >= (size_t)1 << t->bits)
		grow(t);
	i = index_of(t->hash(entry), t->bits);
	*link_of(t, entry) = t->chain[i];
	t->chain[i] = entry;
	t->n++;
}

/* See hashtab.h. */
int
hashtab_remove(struct hashtab *t, void *entry)
{
	void	**pp;

	for (pp = &t->chain[index_of(t->hash(entry), t->bits)]; *pp != NULL;
	    pp = link_of(t, *pp))
		if (*pp == entry) {
			*pp = *link_of(t, entry);
			t->n--;
			return 1;
		}
	return 0;
}

/* See hashtab.h. */
size_t
hashtab_chains(const struct hashtab *t)
{
	return (size_t)1 << t->bits;
}

/* See hashtab.h. */
void *
hashtab_chain(const struct hashtab *t, size_t i)
{
	return t->chain[i];
}
