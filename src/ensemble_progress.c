/* permitsim: a progress line for long ensembles.
 *
 * "[#####.....] 412/1000 replications  6.3/s  1m33s left" on stderr, redrawn
 * at most a few times a second, and only when stderr is a terminal, so logs
 * and pipes never receive it.
 */
#include "permitsim/ensemble.h"

#include <stdio.h>
#include <unistd.h>

#define PROGRESS_WIDTH 24
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 5)

struct _PsimProgress {
  char *what;
  gboolean enabled;
  guint total;
  gint64 start;
  gint64 last_draw;
  gboolean drawn;
};

PsimProgress *
psim_progress_new (guint total, gboolean enabled)
{
  return psim_progress_new_for (total, enabled, "replications");
}

PsimProgress *
psim_progress_new_for (guint total, gboolean enabled, const char *what)
{
  PsimProgress *p = g_new0 (PsimProgress, 1);
  p->what = g_strdup (what);
  p->enabled = enabled && total > 0 && isatty (STDERR_FILENO);
  p->total = total;
  p->start = g_get_monotonic_time ();
  return p;
}

static void
format_duration (char *buf, gsize size, double seconds)
{
  long s = (long) (seconds + 0.5);
  if (s >= 3600)
    g_snprintf (buf, size, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    g_snprintf (buf, size, "%ldm%02lds", s / 60, s % 60);
  else
    g_snprintf (buf, size, "%lds", s);
}

void
psim_progress_update (PsimProgress *p, guint done)
{
  if (p == NULL || !p->enabled)
    return;
  gint64 now = g_get_monotonic_time ();
  if (done < p->total && p->drawn && now - p->last_draw < PROGRESS_INTERVAL_US)
    return;
  p->last_draw = now;
  p->drawn = TRUE;

  double elapsed = (double) (now - p->start) / G_USEC_PER_SEC;
  double rate = elapsed > 0 ? done / elapsed : 0.0;
  char bar[PROGRESS_WIDTH + 1];
  guint filled = (guint) ((guint64) done * PROGRESS_WIDTH / p->total);
  for (guint i = 0; i < PROGRESS_WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[PROGRESS_WIDTH] = '\0';
  char left[32] = "";
  if (done > 0 && done < p->total && rate > 0)
    {
      char d[24];
      format_duration (d, sizeof d, (p->total - done) / rate);
      g_snprintf (left, sizeof left, "  %s left", d);
    }
  fprintf (stderr, "\r[%s] %u/%u %s  %.1f/s%s\033[K", bar, done, p->total, p->what, rate, left);
  fflush (stderr);
}

void
psim_progress_free (PsimProgress *p)
{
  if (p == NULL)
    return;
  if (p->enabled && p->drawn)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
  g_free (p->what);
  g_free (p);
}
