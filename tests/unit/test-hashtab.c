/* test-hashtab.c - the growing intrusive hash table of auraefs's nodes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hashtab.h"
#include "tap.h"

struct item {
	uint64_t	 key;
	struct item	*next;
	int		 in;		/* in the table, by the model */
};

/* Every key lands in the same chain when collide is set. */
static int	 collide;

static uint64_t
item_hash(const void *e)
{
	return collide ? 42 : ((const struct item *)e)->key;
}

/* The item of key in t, or NULL. */
static struct item *
find(const struct hashtab *t, uint64_t key)
{
	struct item	*it;

	for (it = hashtab_first(t, collide ? 42 : key); it != NULL;
	    it = hashtab_next(t, it))
		if (it->key == key)
			return it;
	return NULL;
}

/* How many entries a visit of every chain finds, and the longest chain. */
static size_t
visit(const struct hashtab *t, size_t *longest)
{
	struct item	*it;
	size_t		 i, k, all = 0;

	*longest = 0;
	for (i = 0; i < hashtab_chains(t); i++) {
		k = 0;
		for (it = hashtab_chain(t, i); it != NULL;
		    it = hashtab_next(t, it))
			k++;
		all += k;
		if (k > *longest)
			*longest = k;
	}
	return all;
}

int
main(void)
{
	enum { N = 100000 };
	struct hashtab	 t;
	struct item	*items, other = { 7, NULL, 0 };
	size_t		 i, longest, bad = 0, held = 0;
	uint64_t	 x = 88172645463325252ULL;

	items = calloc(N, sizeof *items);
	ok(items != NULL, "memory for the items");
	if (items == NULL)
		return done_testing();
	ok(hashtab_init(&t, offsetof(struct item, next), item_hash) == 0,
	    "an empty table is made");
	ok(find(&t, 1) == NULL, "nothing is found in it");
	ok(hashtab_remove(&t, &other) == 0, "removing what is not there");

	/* Keys that differ only in high bits (as inode numbers of many
	 * file systems, or dev in the top bits) still spread. */
	for (i = 0; i < N; i++) {
		items[i].key = (uint64_t)i << 32;
		hashtab_add(&t, &items[i]);
		items[i].in = 1;
	}
	is_int((int)t.n, N, "every item is counted");
	ok(hashtab_chains(&t) >= N, "the table grew to %zu chains",
	    hashtab_chains(&t));
	is_int((int)visit(&t, &longest), N, "a visit finds every item");
	ok(longest <= 12, "chains stay short (longest %zu)", longest);
	for (i = 0; i < N; i++)
		if (find(&t, items[i].key) != &items[i])
			bad++;
	is_int((int)bad, 0, "each item is found by its key");

	/* Remove a pseudo-random half, re-add some: the table matches a
	 * model of what is in it. */
	for (i = 0; i < 3 * N; i++) {
		struct item	*it;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		it = &items[x % N];
		if (it->in) {
			if (hashtab_remove(&t, it) != 1)
				bad++;
			it->in = 0;
		} else if (x & 1 << 20) {
			hashtab_add(&t, it);
			it->in = 1;
		}
	}
	for (i = 0; i < N; i++) {
		held += items[i].in;
		if ((find(&t, items[i].key) != NULL) != items[i].in)
			bad++;
	}
	is_int((int)bad, 0, "adds and removes match the model");
	is_int((int)t.n, (int)held, "the count matches the model (%zu)", held);
	is_int((int)visit(&t, &longest), (int)held, "a visit finds them all");
	hashtab_free(&t);

	/* One chain for everything still works, only slower. */
	collide = 1;
	ok(hashtab_init(&t, offsetof(struct item, next), item_hash) == 0,
	    "a table of colliding keys");
	for (i = 0; i < 2000; i++)
		hashtab_add(&t, &items[i]);
	ok(find(&t, items[1234].key) == &items[1234], "found in one chain");
	ok(hashtab_remove(&t, &items[0]) == 1 &&
	    hashtab_remove(&t, &items[1999]) == 1 &&
	    find(&t, items[0].key) == NULL && find(&t, items[1999].key) ==
	    NULL && find(&t, items[1000].key) == &items[1000],
	    "removed from either end of a chain");
	hashtab_free(&t);
	free(items);
	return done_testing();
}
