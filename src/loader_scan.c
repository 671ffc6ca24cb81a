/* permitsim: a look at the bytes of an input file before libxml2 parses them.
 *
 * libxml2 2.9 checks an element's attributes for duplicates pair by pair:
 * 50,000 attributes take seconds, a 16 MiB file hours. No element of ours
 * has more than a handful, so a start tag with more is refused before
 * parsing. The scan must read the text as libxml2 will, so only encodings in
 * which ASCII bytes mean ASCII are accepted, and UTF-16 (converted first);
 * anything else is asked to be saved as UTF-8. */
#include "loader_internal.h"

#include <string.h>

static const char *const ascii_encodings[] = {
  "UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-LATIN-1", "LATIN1", "WINDOWS-1252", "CP1252",
  "UTF-16", "UTF-16LE", "UTF-16BE", /* on ASCII bytes libxml2 itself refuses these */
};

static gboolean
encoding_allowed (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ascii_encodings); i++)
    if (g_ascii_strcasecmp (name, ascii_encodings[i]) == 0)
      return TRUE;
  /* ISO-8859-1 ... ISO-8859-16 */
  if (g_ascii_strncasecmp (name, "ISO-8859-", 9) == 0 && name[9] != '\0')
    {
      for (const char *p = name + 9; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

/* The encoding named by the XML declaration at the start of `text`, or NULL. */
static char *
declared_encoding (const char *text, gsize length)
{
  if (length < 5 || strncmp (text, "<?xml", 5) != 0)
    return NULL;
  const char *end = g_strstr_len (text, MIN (length, (gsize) 512), "?>");
  if (end == NULL)
    return NULL;
  g_autofree char *decl = g_strndup (text, end - text);
  const char *p = strstr (decl, "encoding");
  if (p == NULL)
    return NULL;
  p += strlen ("encoding");
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '=')
    p++;
  if (*p != '"' && *p != '\'')
    return NULL;
  const char *close = strchr (p + 1, *p);
  return close != NULL ? g_strndup (p + 1, close - p - 1) : NULL;
}

/* Skips from `i` past the first `end` (or to the end), counting lines. */
static gsize
skip_past (const char *text, gsize length, gsize i, const char *end, int *line)
{
  gsize n = strlen (end);
  for (; i < length; i++)
    {
      if (text[i] == '\n')
        (*line)++;
      if (i + n <= length && memcmp (text + i, end, n) == 0)
        return i + n;
    }
  return length;
}

/* Refuses start tags with more than PSIM_LOADER_MAX_ATTRIBUTES attributes. */
static gboolean
scan_markup (PsimLoadCtx *ctx, const char *text, gsize length)
{
  int line = 1;
  gsize i = 0;
  while (i < length)
    {
      if (text[i] == '\n')
        line++;
      if (text[i] != '<')
        {
          i++;
          continue;
        }
      if (i + 4 <= length && memcmp (text + i, "<!--", 4) == 0)
        i = skip_past (text, length, i + 4, "-->", &line);
      else if (i + 9 <= length && memcmp (text + i, "<![CDATA[", 9) == 0)
        i = skip_past (text, length, i + 9, "]]>", &line);
      else if (i + 2 <= length && text[i + 1] == '?')
        i = skip_past (text, length, i + 2, "?>", &line);
      else
        {
          /* a start tag, an end tag or a declaration: count the = outside quotes */
          int start_line = line, equals = 0;
          char quote = 0;
          for (i++; i < length; i++)
            {
              char c = text[i];
              if (c == '\n')
                line++;
              if (quote != 0)
                {
                  if (c == quote)
                    quote = 0;
                }
              else if (c == '"' || c == '\'')
                quote = c;
              else if (c == '=')
                equals++;
              else if (c == '>' || c == '<')
                break;
            }
          if (equals > PSIM_LOADER_MAX_ATTRIBUTES)
            {
              psim_load_report (ctx, start_line, 0, PSIM_PROBLEM_FORBIDDEN,
                                "an element has %d attributes: permitsim elements have at most a "
                                "few, and more than %d are refused for safety",
                                equals, PSIM_LOADER_MAX_ATTRIBUTES);
              return FALSE;
            }
          if (i < length && text[i] == '>')
            i++;
        }
    }
  return TRUE;
}

gboolean
psim_loader_look (PsimLoadCtx *ctx, const char *data, gsize length)
{
  const guchar *b = (const guchar *) data;
  const char *utf16 = NULL;
  gsize skip = 0;
  if (length >= 2 && b[0] == 0xFE && b[1] == 0xFF)
    utf16 = "UTF-16BE", skip = 2;
  else if (length >= 2 && b[0] == 0xFF && b[1] == 0xFE)
    utf16 = "UTF-16LE", skip = 2;
  else if (length >= 4 && b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] == '?')
    utf16 = "UTF-16BE";
  else if (length >= 4 && b[0] == '<' && b[1] == 0 && b[2] == '?' && b[3] == 0)
    utf16 = "UTF-16LE";

  g_autofree char *converted = NULL;
  const char *text = data;
  gsize text_length = length;
  if (utf16 != NULL)
    {
      gsize written = 0;
      converted = g_convert (data + skip, (gssize) (length - skip), "UTF-8", utf16, NULL, &written, NULL);
      if (converted == NULL)
        {
          psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SYNTAX,
                            "the file starts as %s text but is not valid %s: save it as UTF-8",
                            utf16, utf16);
          return FALSE;
        }
      text = converted;
      text_length = written;
    }
  else
    {
      if (length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        skip = 3;
      gsize k = skip;
      while (k < length && g_ascii_isspace (data[k]))
        k++;
      if (k < length && data[k] != '<')
        {
          psim_load_report (ctx, 1, 0, PSIM_PROBLEM_SYNTAX,
                            "this is not an XML file: it should begin with <?xml or with an "
                            "element such as <municipality ...> (if it is XML, save it as UTF-8)");
          return FALSE;
        }
      text = data + skip;
      text_length = length - skip;
    }

  g_autofree char *encoding = declared_encoding (text, text_length);
  if (encoding != NULL && !encoding_allowed (encoding))
    {
      g_autofree char *q = psim_diagnostic_quoted (encoding);
      psim_load_report (ctx, 1, 0, PSIM_PROBLEM_SYNTAX,
                        "the file declares the encoding %s, which permitsim does not read: save "
                        "the file as UTF-8 and declare encoding=\"UTF-8\"", q);
      return FALSE;
    }
  return scan_markup (ctx, text, text_length);
}
