/* permitsim: libxml2's messages in words a council officer understands.
 *
 * Schema messages ("Element '{urn:...}window-area', attribute 'windows':
 * [facet 'minInclusive'] ...") are taken apart and said again with the
 * element, the attribute, the value and what was expected; anything not
 * recognised is kept as libxml2 wrote it, so no information is lost. Quoted
 * values are always cut short: a message never echoes a large input. */
#include "loader_internal.h"

#include <string.h>

#define MESSAGE_MAX 600
#define MESSAGE_MAX_BYTES 999

/* ---------- text helpers ---------- */

/* Replaces every "{ns}" in s with `prefix`. */
static char *
replace_namespace (const char *s, const char *ns, const char *prefix)
{
  if (ns == NULL)
    return g_strdup (s);
  g_autofree char *braced = g_strdup_printf ("{%s}", ns);
  GString *out = g_string_new (NULL);
  size_t blen = strlen (braced);
  const char *p = s;
  const char *hit;
  while ((hit = strstr (p, braced)) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, prefix);
      p = hit + blen;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/* Removes every "{ns}" from s (the file's own namespace adds nothing) and
 * writes the XML namespace as the prefix the files use ("xml:lang"). */
static char *
strip_namespace (const char *s, const char *ns)
{
  g_autofree char *own = replace_namespace (s, ns, "");
  return replace_namespace (own, "http://www.w3.org/XML/1998/namespace", "xml:");
}

/* Cuts every '...' segment of a libxml2 message longer than
 * PSIM_LOADER_QUOTE_MAX characters and joins its lines. */
static char *
cut_quotes (const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;
  while (*p != '\0')
    {
      if (*p == '\'')
        {
          const char *start = p + 1;
          const char *end = strchr (start, '\'');
          const char *stop = end != NULL ? end : start + strlen (start);
          glong chars = g_utf8_strlen (start, stop - start);
          g_string_append_c (out, '\'');
          if (chars > PSIM_LOADER_QUOTE_MAX)
            {
              const char *cut = g_utf8_offset_to_pointer (start, PSIM_LOADER_QUOTE_MAX);
              g_string_append_len (out, start, cut - start);
              g_string_append_printf (out, "...' (%ld characters)", chars);
            }
          else
            {
              g_string_append_len (out, start, stop - start);
              if (end != NULL)
                g_string_append_c (out, '\'');
            }
          p = end != NULL ? end + 1 : stop;
          continue;
        }
      if (*p == '\n' || *p == '\r' || *p == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && p[1] != '\0')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
      p++;
    }
  g_strchomp (out->str);
  return g_string_free (out, FALSE);
}

/* Caps a finished message at MESSAGE_MAX characters and, with its "...",
 * MESSAGE_MAX_BYTES bytes: text quoted from a file that is not UTF-8 comes
 * as replacement characters, three bytes each. */
static char *
cap_length (char *s)
{
  if (g_utf8_strlen (s, -1) <= MESSAGE_MAX && strlen (s) <= MESSAGE_MAX_BYTES)
    return s;
  char *cut = g_utf8_offset_to_pointer (s, MIN (g_utf8_strlen (s, -1), (glong) MESSAGE_MAX));
  while ((gsize) (cut - s) > MESSAGE_MAX_BYTES - 3)
    cut = g_utf8_prev_char (cut);
  *cut = '\0';
  char *capped = g_strconcat (s, "...", NULL);
  g_free (s);
  return capped;
}

/* ---------- schema messages ---------- */

static const struct {
  const char *type;
  const char *expected;
} type_words[] = {
  { "count", "a whole number from 0 to 100000000" },
  { "share", "a decimal number from 0 to 1, such as 0.25" },
  { "isoDate", "a date written YYYY-MM-DD, from 1900-01-01 to 2200-12-31" },
  { "identifier", "an identifier: lower-case letters a-z, digits and hyphens, at most 64 "
                  "characters, such as de-wallen" },
  { "name", "a name of 1 to 200 characters" },
  { "text", "a text of at most 20000 characters" },
  { "capValue", "a whole number from 0 to 100000000, or the word unlimited" },
  { "venue", "window, club or escort-agency" },
  { "homeRegime", "allowed, non-commercial, licence-required or banned" },
  { "participationLevel", "none, inform, consult, shared-decision-making, sex-worker-led or "
                          "equal-partnership" },
  { "parameterName", "a parameter name such as capacity.workers-per-window" },
  { "xs:decimal", "a decimal number written with a point, such as 2.5, of at most 24 digits "
                  "(no exponent, NaN or INF)" },
  { "xs:integer", "a whole number of at most 24 digits" },
  { "xs:boolean", "true or false" },
  { "xs:date", "a date written YYYY-MM-DD" },
  { "xs:string", "text" },
};

/* anonymous types, known by the attribute that has them */
static const struct {
  const char *attribute;
  const char *expected;
} attribute_words[] = {
  { "years", "a whole number of years from 18 to 30" },
  { "inspections-per-year", "a decimal number from 0 to 52, such as 0.5" },
  { "cbs-code", "a CBS municipality code: GM followed by four digits, such as GM0344" },
  { "href", "a relative path to an .xml file (letters, digits, _, -, . and /)" },
  { "xml:lang", "a language tag such as nl, en or nl-BE (letters and digits, parts joined "
                "by hyphens), or empty for no language" },
};

static const struct {
  const char *pattern;
  const char *expected;
} pattern_words[] = {
  { "[a-z0-9][a-z0-9\\-]{0,63}", "lower-case letters a-z, digits and hyphens, starting with a "
                                 "letter or digit, at most 64 characters (such as de-wallen)" },
  { "GM\\d{4}", "GM followed by four digits (such as GM0344)" },
  { "\\d{4}-\\d{2}-\\d{2}", "a date written YYYY-MM-DD" },
  { "[A-Za-z0-9_\\-][A-Za-z0-9_\\-./]{0,250}\\.xml",
    "a relative path to an .xml file (letters, digits, _, -, . and /)" },
  { "[a-z][a-z0-9\\-]*(\\.[a-z0-9][a-z0-9\\-]*)*",
    "a lower-case dotted name such as capacity.workers-per-window" },
};

static const char *
describe_type (const char *type, const char *attribute)
{
  for (gsize i = 0; i < G_N_ELEMENTS (type_words); i++)
    if (strcmp (type_words[i].type, type) == 0)
      return type_words[i].expected;
  if (attribute != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (attribute_words); i++)
      if (strcmp (attribute_words[i].attribute, attribute) == 0)
        return attribute_words[i].expected;
  return NULL;
}

/* Copies the text between `open` and the last `close` after it, or NULL. */
static char *
between (const char *s, const char *open, const char *close)
{
  const char *a = strstr (s, open);
  if (a == NULL)
    return NULL;
  a += strlen (open);
  const char *b = g_strrstr (a, close);
  if (b == NULL)
    return NULL;
  return g_strndup (a, b - a);
}

/* A value as libxml2 quoted it ("v'" after its opening quote, or "v...'
 * (N characters)" when cut_quotes shortened it) as "v" or "v..." (N characters). */
static char *
requote (const char *segment)
{
  if (g_str_has_suffix (segment, "'"))
    {
      g_autofree char *inner = g_strndup (segment, strlen (segment) - 1);
      return psim_diagnostic_quoted (inner);
    }
  const char *marker = strstr (segment, "...' (");
  if (marker != NULL)
    {
      g_autofree char *inner = g_strndup (segment, marker - segment);
      g_autofree char *q = psim_diagnostic_quoted (inner);
      q[strlen (q) - 1] = '\0'; /* drop the closing quote: put it after the dots */
      return g_strdup_printf ("%s...\"%s", q, marker + 4);
    }
  return psim_diagnostic_quoted (segment);
}

/* The value quoted after `open` (which ends with the opening quote) and
 * before `close` (the words that follow the value and its closing quote). */
static char *
quoted_value (const char *s, const char *open, const char *close)
{
  const char *a = strstr (s, open);
  if (a == NULL)
    return NULL;
  a += strlen (open);
  const char *b = g_strrstr (a, close);
  if (b == NULL)
    return NULL;
  g_autofree char *segment = g_strndup (a, b - a);
  return requote (segment);
}

/* "( a, b, c )" -> "<a>, <b> or <c>"; one name -> "<a>" */
static char *
element_list (const char *list)
{
  g_auto (GStrv) names = g_strsplit (list, ",", -1);
  GString *out = g_string_new (NULL);
  guint n = g_strv_length (names);
  for (guint i = 0; i < n; i++)
    {
      char *name = g_strstrip (names[i]);
      if (i > 0)
        g_string_append (out, i + 1 == n ? " or " : ", ");
      g_string_append_printf (out, "<%s>", name);
    }
  return g_string_free (out, FALSE);
}

/* What comes after "Expected is": "one of <a>, <b> or <c>" / "<a>". */
static char *
expected_elements (const char *rest)
{
  g_autofree char *one_of = between (rest, "Expected is one of (", ")");
  if (one_of != NULL)
    {
      g_autofree char *list = element_list (one_of);
      return g_strdup_printf ("one of %s", list);
    }
  g_autofree char *one = between (rest, "Expected is (", ")");
  if (one != NULL)
    return element_list (one);
  return NULL;
}

static void
translate_schema (const xmlError *err, const char *msg, PsimLoaderMessage *out)
{
  g_autofree char *element = NULL;
  g_autofree char *attribute = NULL;
  const char *rest = msg;
  if (g_str_has_prefix (msg, "Element '"))
    {
      const char *a = msg + strlen ("Element '");
      const char *b = strchr (a, '\'');
      if (b != NULL)
        {
          element = g_strndup (a, b - a);
          rest = b + 1;
          if (g_str_has_prefix (rest, ", attribute '"))
            {
              const char *c = rest + strlen (", attribute '");
              const char *d = strchr (c, '\'');
              if (d != NULL)
                {
                  attribute = g_strndup (c, d - c);
                  rest = d + 1;
                }
            }
          if (g_str_has_prefix (rest, ": "))
            rest += 2;
        }
    }
  out->problem = PSIM_PROBLEM_SCHEMA;
  g_autofree char *subject = element == NULL ? NULL
                             : attribute == NULL ? g_strdup_printf ("<%s>", element)
                             : g_strdup_printf ("<%s> attribute %s", element, attribute);
  char *text = NULL;

  if (element != NULL && g_str_has_prefix (rest, "This element is not expected."))
    {
      g_autofree char *expected = expected_elements (rest);
      xmlNodePtr node = err->node;
      const char *parent = (node != NULL && node->type == XML_ELEMENT_NODE && node->parent != NULL
                            && node->parent->type == XML_ELEMENT_NODE)
                           ? (const char *) node->parent->name : NULL;
      g_autofree char *where = parent != NULL ? g_strdup_printf (" inside <%s>", parent) : g_strdup ("");
      if (expected != NULL)
        text = g_strdup_printf ("element <%s> is not allowed here%s (a misspelt name, or the "
                                "wrong order?): expected %s", element, where, expected);
      else
        text = g_strdup_printf ("element <%s> is not allowed here%s (a misspelt name, or the "
                                "wrong order?)", element, where);
    }
  else if (element != NULL && g_str_has_prefix (rest, "Missing child element(s)."))
    {
      g_autofree char *expected = expected_elements (rest);
      text = g_strdup_printf ("<%s> is missing a child element: expected %s", element,
                              expected != NULL ? expected : "more content");
    }
  else if (element != NULL && g_str_has_prefix (rest, "The attribute '")
           && g_str_has_suffix (rest, "' is required but missing."))
    {
      g_autofree char *name = between (rest, "The attribute '", "' is required but missing.");
      text = g_strdup_printf ("<%s> is missing the required attribute %s", element, name);
    }
  else if (attribute != NULL && g_str_has_suffix (rest, "is not allowed."))
    text = g_strdup_printf ("<%s> has an attribute %s, which is not allowed here (a misspelt "
                            "name?)", element, attribute);
  else if (subject != NULL && g_str_has_prefix (rest, "[facet '"))
    {
      g_autofree char *facet = between (rest, "[facet '", "'] ");
      if (facet != NULL && (strcmp (facet, "minInclusive") == 0 || strcmp (facet, "minExclusive") == 0))
        {
          g_autofree char *q = quoted_value (rest, "The value '", " is less than the minimum");
          g_autofree char *limit = between (rest, "allowed ('", "').");
          if (q != NULL && limit != NULL)
            {
              out->problem = PSIM_PROBLEM_RANGE;
              text = g_strdup_printf ("%s %s is too small: the smallest allowed value is %s%s",
                                      subject, q, limit,
                                      strcmp (facet, "minExclusive") == 0 ? " (exclusive)" : "");
            }
        }
      else if (facet != NULL && (strcmp (facet, "maxInclusive") == 0 || strcmp (facet, "maxExclusive") == 0))
        {
          g_autofree char *q = quoted_value (rest, "The value '", " is greater than the maximum");
          g_autofree char *limit = between (rest, "allowed ('", "').");
          if (q != NULL && limit != NULL)
            {
              out->problem = PSIM_PROBLEM_RANGE;
              text = g_strdup_printf ("%s %s is too large: the largest allowed value is %s%s",
                                      subject, q, limit,
                                      strcmp (facet, "maxExclusive") == 0 ? " (exclusive)" : "");
            }
        }
      else if (facet != NULL && strcmp (facet, "pattern") == 0)
        {
          g_autofree char *q = quoted_value (rest, "The value '", " is not accepted by the pattern '");
          g_autofree char *pattern = between (rest, "by the pattern '", "'.");
          if (q != NULL && pattern != NULL)
            {
              const char *words = NULL;
              for (gsize i = 0; i < G_N_ELEMENTS (pattern_words); i++)
                if (strcmp (pattern_words[i].pattern, pattern) == 0)
                  words = pattern_words[i].expected;
              g_autofree char *pq = words == NULL ? psim_diagnostic_quoted (pattern) : NULL;
              text = words != NULL
                     ? g_strdup_printf ("%s %s is not in the expected form: %s", subject, q, words)
                     : g_strdup_printf ("%s %s does not match the pattern %s", subject, q, pq);
            }
        }
      else if (facet != NULL && strcmp (facet, "enumeration") == 0)
        {
          g_autofree char *q = quoted_value (rest, "The value '", " is not an element of the set {");
          g_autofree char *set = between (rest, "of the set {", "}.");
          if (q != NULL && set != NULL)
            {
              g_autofree char *plain = g_strdelimit (g_strdup (set), "'", ' ');
              g_auto (GStrv) items = g_strsplit (plain, ",", -1);
              for (guint i = 0; items[i] != NULL; i++)
                g_strstrip (items[i]);
              g_autofree char *joined = g_strjoinv (", ", items);
              text = g_strdup_printf ("%s %s is not one of the allowed values: %s", subject, q, joined);
            }
        }
      else if (facet != NULL && strcmp (facet, "maxLength") == 0)
        {
          /* libxml2 cuts its messages at 64000 bytes: a long value hides the
           * numbers at the end, so measure the value itself when it can */
          g_autofree char *has = between (rest, "has a length of '", "'; this exceeds");
          g_autofree char *limit = between (rest, "maximum length of '", "'.");
          xmlNodePtr node = err->node;
          if (has == NULL && attribute != NULL && node != NULL && node->type == XML_ELEMENT_NODE)
            {
              xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) attribute);
              if (value != NULL)
                has = g_strdup_printf ("%ld", g_utf8_strlen ((const char *) value, -1));
              xmlFree (value);
            }
          text = g_strdup_printf ("%s is too long%s%s%s%s%s", subject,
                                  has != NULL ? ": " : "", has != NULL ? has : "",
                                  has != NULL ? " characters" : "",
                                  limit != NULL ? ", at most allowed: " : "", limit != NULL ? limit : "");
        }
      else if (facet != NULL && strcmp (facet, "minLength") == 0)
        {
          g_autofree char *limit = between (rest, "minimum length of '", "'.");
          if (limit != NULL)
            text = g_strdup_printf ("%s is too short: at least %s character%s needed", subject,
                                    limit, strcmp (limit, "1") == 0 ? "" : "s");
        }
    }
  else if (subject != NULL && rest[0] == '\'' && strstr (rest, " is not a valid value of the ") != NULL)
    {
      const char *mark = g_strrstr (rest, " is not a valid value of the ");
      g_autofree char *q = quoted_value (rest, "'", " is not a valid value of the ");
      g_autofree char *type = between (mark, "type '", "'.");
      const char *words = describe_type (type != NULL ? type : "", attribute);
      if (words != NULL)
        text = g_strdup_printf ("%s %s is not valid: expected %s", subject, q, words);
      else if (type != NULL)
        text = g_strdup_printf ("%s %s is not a valid value of the type %s", subject, q, type);
      else
        text = g_strdup_printf ("%s %s is not a valid value here", subject, q);
    }
  else if (element != NULL && strstr (rest, "Character content other than whitespace is not allowed") != NULL)
    text = g_strdup_printf ("<%s> may not contain text, only elements", element);
  else if (element != NULL && strstr (rest, "Element content is not allowed") != NULL)
    text = g_strdup_printf ("<%s> may contain only text, no elements", element);
  else if (element != NULL && strstr (rest, "No matching global declaration available for the validation root") != NULL)
    text = g_strdup_printf ("<%s> is not the root element of this kind of file", element);

  if (text == NULL) /* not recognised: keep every word of libxml2's */
    text = subject != NULL ? g_strdup_printf ("%s: %s", subject, rest) : g_strdup (msg);
  out->text = cap_length (text);
}

/* ---------- parser messages ---------- */

static gboolean
is_entity_error (int code)
{
  switch (code)
    {
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITY_BOUNDARY:
    case XML_ERR_UNPARSED_ENTITY:
    case XML_ERR_EXT_ENTITY_STANDALONE:
    case XML_ERR_ENTITY_IS_EXTERNAL:
    case XML_ERR_ENTITY_IS_PARAMETER:
    case XML_ERR_ENTITY_PE_INTERNAL:
    case XML_ERR_ENTITY_NOT_FINISHED:
    case XML_ERR_ENTITY_NOT_STARTED:
    case XML_ERR_ENTITYREF_NO_NAME:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    case XML_ERR_PEREF_AT_EOF:
    case XML_ERR_PEREF_IN_PROLOG:
    case XML_ERR_PEREF_IN_EPILOG:
    case XML_ERR_PEREF_IN_INT_SUBSET:
    case XML_ERR_PEREF_NO_NAME:
    case XML_ERR_PEREF_SEMICOL_MISSING:
    case XML_ERR_EXT_SUBSET_NOT_FINISHED:
    case XML_ERR_DOCTYPE_NOT_FINISHED:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
translate_parser (const xmlError *err, const char *msg, PsimLoaderMessage *out)
{
  char *text = NULL;
  out->problem = PSIM_PROBLEM_SYNTAX;
  if (strstr (msg, "Excessive depth") != NULL)
    {
      out->problem = PSIM_PROBLEM_FORBIDDEN;
      text = g_strdup_printf ("the elements are nested too deeply (refused for safety; %s)", msg);
    }
  else if (strstr (msg, "XML_PARSE_HUGE") != NULL || strstr (msg, "too long") != NULL
           || strstr (msg, "huge") != NULL)
    {
      out->problem = PSIM_PROBLEM_FORBIDDEN;
      text = g_strdup_printf ("a part of the file is too large (refused for safety; %s)", msg);
    }
  else if (err->domain == XML_FROM_IO || is_entity_error (err->code))
    {
      out->problem = PSIM_PROBLEM_FORBIDDEN;
      text = g_strdup_printf ("entities are not allowed in permitsim files (refused for safety; %s)", msg);
    }
  else if (err->code == XML_ERR_DOCUMENT_EMPTY)
    text = g_strdup ("the file is empty: expected an XML document");
  else if (err->code == XML_ERR_UNSUPPORTED_ENCODING || err->code == XML_ERR_UNKNOWN_ENCODING)
    text = g_strdup_printf ("%s: save the file as UTF-8 and declare encoding=\"UTF-8\"", msg);
  else if (err->code == XML_ERR_INVALID_CHAR || err->code == XML_ERR_INVALID_ENCODING
           || err->domain == XML_FROM_I18N)
    text = g_strdup_printf ("the text does not match the file's encoding (%s): save the file "
                            "as UTF-8", msg);
  else if (strstr (msg, "Premature end of data in tag ") != NULL)
    {
      /* (libxml2's own message adds only the name again, which can be long) */
      g_autofree char *tag = between (msg, "Premature end of data in tag ", " line ");
      const char *at = g_strrstr (msg, " line ");
      glong chars = tag != NULL ? g_utf8_strlen (tag, -1) : 0;
      if (chars > PSIM_LOADER_QUOTE_MAX)
        *g_utf8_offset_to_pointer (tag, PSIM_LOADER_QUOTE_MAX) = '\0';
      g_autofree char *length = chars > PSIM_LOADER_QUOTE_MAX
                                  ? g_strdup_printf ("... (%ld characters)", chars) : g_strdup ("");
      text = g_strdup_printf ("the file ends before <%s%s> (opened on line %s) is closed: is the "
                              "file cut short?", tag != NULL ? tag : "?", length,
                              at != NULL ? at + 6 : "?");
    }
  else if (err->code == XML_ERR_DOCUMENT_END)
    text = g_strdup_printf ("there is more after the end of the root element (%s)", msg);
  else if (err->domain == XML_FROM_NAMESPACE)
    text = g_strdup_printf ("namespace error: %s", msg);
  else
    text = g_strdup_printf ("not well-formed XML: %s", msg);
  out->text = cap_length (text);
}

void
psim_loader_translate (const xmlError *err, const char *ns, PsimLoaderMessage *out)
{
  g_autofree char *stripped = strip_namespace (err->message != NULL ? err->message : "unknown error", ns);
  g_autofree char *raw = cut_quotes (g_strstrip (stripped));
  if (err->domain == XML_FROM_SCHEMASV || err->domain == XML_FROM_SCHEMASP)
    translate_schema (err, raw, out);
  else
    translate_parser (err, raw, out);
}
