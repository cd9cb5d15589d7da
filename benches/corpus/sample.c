/* A ring buffer of fixed-size records, for the render benchmark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING_CAP 64
#define RECORD_LEN 32

typedef struct {
    char data[RING_CAP][RECORD_LEN];
    size_t head, tail, count;
} ring_t;

static void ring_init(ring_t *r) {
    memset(r, 0, sizeof *r);
}

static int ring_push(ring_t *r, const char *text) {
    if (r->count == RING_CAP) {
        return -1; /* full: the caller decides */
    }
    strncpy(r->data[r->tail], text, RECORD_LEN - 1);
    r->data[r->tail][RECORD_LEN - 1] = '\0';
    r->tail = (r->tail + 1) % RING_CAP;
    r->count++;
    return 0;
}

static const char *ring_pop(ring_t *r) {
    if (r->count == 0) {
        return NULL;
    }
    const char *out = r->data[r->head];
    r->head = (r->head + 1) % RING_CAP;
    r->count--;
    return out;
}

int main(int argc, char **argv) {
    ring_t *ring = malloc(sizeof(ring_t));
    if (!ring) {
        perror("malloc");
        return EXIT_FAILURE;
    }
    ring_init(ring);
    for (int i = 1; i < argc; i++) {
        if (ring_push(ring, argv[i]) != 0) {
            fprintf(stderr, "ring full at %d\n", i);
            break;
        }
    }
    uint32_t hash = 2166136261u;
    const char *s;
    while ((s = ring_pop(ring)) != NULL) {
        for (; *s; s++) {
            hash = (hash ^ (uint8_t)*s) * 16777619u;
        }
    }
    printf("fnv1a: 0x%08x\n", hash);
    free(ring);
    return 0;
}
