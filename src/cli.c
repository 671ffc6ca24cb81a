/* permitsim: command dispatch, shared option handling, the data folder. */
#include "cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "permitsim/error.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} PsimCommand;

static const PsimCommand commands[] = {
  { "validate", psim_cmd_validate, "check input files (municipality, region, scenario, parameters)" },
  { "run", psim_cmd_run, "simulate a region, with scenarios, and write CSV results" },
  { "compare", psim_cmd_compare, "run the baseline and each alternative scenario, paired; differences and report" },
  { "chart", psim_cmd_chart, "draw the comparison charts and report.html from a results directory" },
  { "merge", psim_cmd_merge, "combine the outputs of slices of one ensemble (--replication-range)" },
  { "bench", psim_cmd_bench, "measure the engine's speed and memory on this machine" },
  { "summary", psim_cmd_summary, "one screen of a region's workplaces and rules by year" },
  { "replay", psim_cmd_replay, "run the Netherlands 1999-2022 and compare it with the published figures" },
  { "calibrate", psim_cmd_calibrate, "fit the behavioural parameters to the calibration targets" },
  { "sensitivity", psim_cmd_sensitivity, "which parameters move the headline outcomes (Morris or one at a time)" },
};

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: permitsim COMMAND [OPTION...] [ARG...]\n"
           "\n"
           "Simulates sex workers moving between licensed, unlicensed and illegal work\n"
           "under municipal permit policy in the Netherlands, and projects safety, access\n"
           "to justice, access to care and exploitation.\n"
           "\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Options:\n"
           "  -h, --help     show this help (permitsim COMMAND --help for a command's)\n"
           "  --version      print the version\n"
           "\n"
           "Exit status: 0 success, 1 usage error, 2 invalid input, 3 runtime or output failure,\n"
           "130 interrupted by Ctrl-C (143 by SIGTERM): nothing written.\n"
           "Bundled data: %s\n",
           PSIM_SOURCE_DATADIR);
}

int
psim_cli_main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C"); /* numbers in files and outputs always use a decimal point */
  if (argc < 2)
    {
      print_usage (stderr);
      return PSIM_EXIT_USAGE;
    }
  const char *cmd = argv[1];
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0 || strcmp (cmd, "help") == 0)
    {
      print_usage (stdout);
      return PSIM_EXIT_OK;
    }
  if (strcmp (cmd, "--version") == 0)
    {
      printf ("permitsim %s\n", PSIM_VERSION);
      return PSIM_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (cmd, commands[i].name) == 0)
      {
        int code = commands[i].run (argc - 1, argv + 1);
        /* a table printed into a full disk or a closed pipe is a failure too */
        if (fflush (stdout) != 0 && code == PSIM_EXIT_OK)
          {
            fprintf (stderr, "permitsim: error: writing to standard output failed\n");
            code = PSIM_EXIT_FAILURE;
          }
        return code;
      }
  fprintf (stderr, "permitsim: unknown command '%s'\n\n", cmd);
  print_usage (stderr);
  return PSIM_EXIT_USAGE;
}

int
psim_cli_usage_error (const char *message)
{
  const char *prg = g_get_prgname () != NULL ? g_get_prgname () : "permitsim";
  g_autofree char *printable = psim_error_printable (message);
  fprintf (stderr, "%s: %s\nTry '%s --help'.\n", prg, printable, prg);
  return PSIM_EXIT_USAGE;
}

int
psim_cli_parse_options (const char *prgname, const char *parameter_string, const char *summary,
                        const char *description, const GOptionEntry *entries, int *argc,
                        char ***argv)
{
  g_set_prgname (prgname);
  g_autoptr (GOptionContext) context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  GError *error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      int code = psim_cli_usage_error (error->message);
      g_error_free (error);
      return code;
    }
  return PSIM_EXIT_OK;
}

int
psim_cli_report_error (GError *error)
{
  if (error == NULL)
    return PSIM_EXIT_OK;
  int code = psim_error_exit_code (error);
  g_autofree char *printable = psim_error_printable (error->message);
  if (error->domain == PSIM_ERROR && error->code == PSIM_ERROR_INVALID_INPUT)
    fprintf (stderr, "%s\n", printable); /* already "file:line:col: error: ..." lines */
  else
    fprintf (stderr, "permitsim: error: %s\n", printable);
  g_error_free (error);
  return code;
}

char *
psim_cli_datadir (void)
{
  const char *env = g_getenv ("PERMITSIM_DATADIR");
  if (env != NULL && *env != '\0')
    return g_file_test (env, G_FILE_TEST_IS_DIR) ? g_strdup (env) : NULL;

  /* next to the binary: <prefix>/bin/permitsim -> <prefix>/share/permitsim/municipalities */
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (self);
      g_autofree char *rel = g_build_filename (bindir, "..", "share", "permitsim", "municipalities", NULL);
      g_autofree char *marker = g_build_filename (rel, "netherlands.xml", NULL);
      if (g_file_test (marker, G_FILE_TEST_IS_REGULAR))
        return g_canonicalize_filename (rel, NULL);
    }
  /* a binary in its build tree: the source tree it was built from */
  if (g_file_test (PSIM_SOURCE_DATADIR, G_FILE_TEST_IS_DIR))
    return g_strdup (PSIM_SOURCE_DATADIR);
  if (g_file_test (PSIM_INSTALL_DATADIR, G_FILE_TEST_IS_DIR))
    return g_strdup (PSIM_INSTALL_DATADIR);
  return NULL;
}
