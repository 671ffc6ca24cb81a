/* permitsim: reading an input file safely and validating it against its schema.
 *
 * Files are read with a size limit, parsed from memory with the network off
 * and no DTD, entity or XInclude processing, refused outright if they carry a
 * DOCTYPE, and validated against the schemas compiled into the program. The
 * only external entities libxml2 may load are those embedded schemas (for
 * xs:include). The bytes are looked at first (loader_scan.c); libxml2's
 * messages are translated in loader_messages.c. */
#define _POSIX_C_SOURCE 200809L /* open flags, fstat, read */
#include "loader_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "embedded.h"

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

static const struct {
  PsimFormat format;
  const char *root;
  const char *ns;
  const char *schema;
} formats[] = {
  { PSIM_FORMAT_MUNICIPALITY, "municipality", "urn:permitsim:municipality:1", "municipality.xsd" },
  { PSIM_FORMAT_REGION, "region", "urn:permitsim:region:1", "region.xsd" },
  { PSIM_FORMAT_SCENARIO, "scenario", "urn:permitsim:scenario:1", "scenario.xsd" },
  { PSIM_FORMAT_PARAMETERS, "parameters", "urn:permitsim:parameters:1", "parameters.xsd" },
};

static int
format_index (PsimFormat format)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return (int) i;
  return -1;
}

const char *
psim_format_namespace (PsimFormat format)
{
  int i = format_index (format);
  return i >= 0 ? formats[i].ns : NULL;
}

const char *
psim_format_root_name (PsimFormat format)
{
  int i = format_index (format);
  return i >= 0 ? formats[i].root : NULL;
}

/* ---------- reading the file ---------- */

gboolean
psim_loader_read_file (PsimLoadCtx *ctx, char **data, gsize *length)
{
  *data = NULL;
  *length = 0;
  GStatBuf st;
  if (g_stat (ctx->path, &st) != 0)
    {
      int e = errno;
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "cannot read the file: %s",
                        e == ENOENT ? "no such file" : g_strerror (e));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "this is a folder, not a file");
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO,
                        "this is not a regular file (a device, pipe or socket)");
      return FALSE;
    }
  if (st.st_size > PSIM_LOADER_MAX_FILE_SIZE)
    {
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO,
                        "the file is too large (%lld bytes; at most %d MiB are accepted)",
                        (long long) st.st_size, PSIM_LOADER_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }

  int fd = g_open (ctx->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "cannot open the file: %s", g_strerror (e));
      return FALSE;
    }
  /* the file may have been replaced between stat and open: check again */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      ctx->io_failed = TRUE;
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "this is not a regular file");
      return FALSE;
    }
  gsize cap = (gsize) st.st_size + 1;
  if (cap > PSIM_LOADER_MAX_FILE_SIZE + 1)
    cap = PSIM_LOADER_MAX_FILE_SIZE + 1;
  GByteArray *buf = g_byte_array_sized_new ((guint) cap);
  guint8 chunk[65536];
  gboolean ok = TRUE;
  for (;;)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "cannot read the file: %s", g_strerror (e));
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      if (buf->len + (gsize) n > PSIM_LOADER_MAX_FILE_SIZE)
        {
          psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO,
                            "the file is too large (more than %d MiB)",
                            PSIM_LOADER_MAX_FILE_SIZE / (1024 * 1024));
          ok = FALSE;
          break;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  close (fd);
  if (!ok)
    {
      ctx->io_failed = TRUE;
      g_byte_array_free (buf, TRUE);
      return FALSE;
    }
  *length = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1); /* a NUL after the data */
  *data = (char *) g_byte_array_free (buf, FALSE);
  return TRUE;
}

/* ---------- libxml2 set-up: once per process ---------- */

/* Serves the embedded schemas by bare name (for xs:include while the
 * schemas are compiled) and refuses everything else, whatever asks. */
static xmlParserInputPtr
embedded_entity_loader (const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
  if (url != NULL && strchr (url, '/') == NULL && g_str_has_suffix (url, ".xsd"))
    {
      size_t length = 0;
      const char *text = psim_embedded_file (url, &length);
      if (text != NULL)
        return xmlNewStringInputStream (ctxt, (const xmlChar *) text);
    }
  return NULL; /* libxml2 then reports that it failed to load it, by name only */
}

static gpointer
init_libxml (gpointer unused)
{
  LIBXML_TEST_VERSION;
  xmlInitParser ();
  xmlSetExternalEntityLoader (embedded_entity_loader);
  return NULL;
}

static void
ensure_libxml (void)
{
  static GOnce once = G_ONCE_INIT;
  g_once (&once, init_libxml, NULL);
}

/* ---------- error collection ---------- */

typedef struct {
  PsimLoadCtx *ctx;
  const char *ns;        /* the expected namespace (dropped from messages) */
  gboolean doctype;      /* a DOCTYPE was seen: parsing was stopped */
  gboolean root_only;    /* stop after the root element's start tag */
  int errors;
} ParseState;

static void
collect (ParseState *st, const xmlError *err)
{
  if (err == NULL || err->level == XML_ERR_NONE || err->level == XML_ERR_WARNING)
    return;
  if (st->doctype)
    return; /* anything after the refused DOCTYPE is noise */
  st->errors++;
  PsimLoaderMessage msg;
  psim_loader_translate (err, st->ns, &msg);
  int column = (err->domain == XML_FROM_SCHEMASV || err->domain == XML_FROM_SCHEMASP) ? 0 : err->int2;
  psim_load_report (st->ctx, err->line, column, msg.problem, "%s", msg.text);
  g_free (msg.text);
}

#if LIBXML_VERSION >= 21200
static void
on_error (void *data, const xmlError *err)
#else
static void
on_error (void *data, xmlErrorPtr err)
#endif
{
  collect (data, err);
}

/* the parser's own channel: data is the parser context */
#if LIBXML_VERSION >= 21200
static void
on_parser_error (void *data, const xmlError *err)
#else
static void
on_parser_error (void *data, xmlErrorPtr err)
#endif
{
  xmlParserCtxtPtr ctxt = data;
  collect (ctxt->_private, err);
}

/* SAX: <!DOCTYPE ...> seen. Our formats have no DTD; stop before any entity
 * declaration or external subset is read. */
static void
on_doctype (void *data, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = data;
  ParseState *st = ctxt->_private;
  if (st->doctype)
    return;
  int line = xmlSAX2GetLineNumber (ctxt);
  int column = xmlSAX2GetColumnNumber (ctxt);
  psim_load_report (st->ctx, line, column, PSIM_PROBLEM_FORBIDDEN,
                    "the file has a DOCTYPE declaration%s: permitsim files may not "
                    "declare a DTD or entities (refused for safety); remove the "
                    "<!DOCTYPE ...> line",
                    system_id != NULL ? " naming an external DTD" : "");
  st->doctype = TRUE;
  st->errors++;
  xmlStopParser (ctxt);
}

/* SAX: an element starts. Built as usual; when only the root is wanted,
 * parsing stops right after it. */
static void
on_element (void *data, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
            int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
            const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = data;
  ParseState *st = ctxt->_private;
  xmlSAX2StartElementNs (ctxt, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                         nb_defaulted, attributes);
  if (st->root_only)
    xmlStopParser (ctxt);
}

/* ---------- schemas: compiled once, shared by every thread ---------- */

static gpointer
compile_schema (gpointer data)
{
  gsize i = GPOINTER_TO_SIZE (data) - 1;
  size_t length = 0;
  const char *text = psim_embedded_file (formats[i].schema, &length);
  if (text == NULL)
    return NULL;
  xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt (text, (int) length);
  if (pctxt == NULL)
    return NULL;
  /* only a broken build reaches the messages: keep them out of the user's files */
  xmlSchemaSetParserStructuredErrors (pctxt, NULL, NULL);
  xmlSchemaPtr schema = xmlSchemaParse (pctxt);
  xmlSchemaFreeParserCtxt (pctxt);
  return schema; /* kept by the GOnce for the life of the process */
}

static xmlSchemaPtr
schema_for (int i)
{
  static GOnce once[G_N_ELEMENTS (formats)] = { G_ONCE_INIT, G_ONCE_INIT, G_ONCE_INIT, G_ONCE_INIT };
  G_STATIC_ASSERT (G_N_ELEMENTS (formats) == 4);
  ensure_libxml ();
  return g_once (&once[i], compile_schema, GSIZE_TO_POINTER ((gsize) i + 1));
}

/* ---------- checks before the schema ---------- */

static const char *const xinclude_namespaces[] = {
  "http://www.w3.org/2001/XInclude",
  "http://www.w3.org/2003/XInclude",
};

static void
report_long_value (ParseState *st, xmlNodePtr element, const char *attribute, const xmlChar *value)
{
  glong chars = g_utf8_strlen ((const char *) value, -1);
  if (chars <= PSIM_LOADER_MAX_VALUE)
    return;
  g_autofree char *what = attribute != NULL
                          ? g_strdup_printf ("<%s> attribute %s", (const char *) element->name, attribute)
                          : g_strdup_printf ("the text of <%s>", (const char *) element->name);
  psim_load_report (st->ctx, psim_xml_line (element), 0, PSIM_PROBLEM_SCHEMA,
                    "%s is too long: %ld characters, and no value in a permitsim file may be "
                    "longer than %d", what, chars, PSIM_LOADER_MAX_VALUE);
  st->errors++;
}

/* Refuses XInclude elements, entity references and values longer than any
 * schema allows, anywhere in the tree (iteratively: the parser already
 * bounds the depth). */
static void
check_tree (ParseState *st, xmlNodePtr root)
{
  xmlNodePtr node = root;
  while (node != NULL)
    {
      if (node->type == XML_ELEMENT_NODE && node->ns != NULL && node->ns->href != NULL)
        for (gsize i = 0; i < G_N_ELEMENTS (xinclude_namespaces); i++)
          if (strcmp ((const char *) node->ns->href, xinclude_namespaces[i]) == 0)
            {
              gboolean prefixed = node->ns->prefix != NULL;
              psim_load_report (st->ctx, psim_xml_line (node), 0, PSIM_PROBLEM_FORBIDDEN,
                                "XInclude element <%.60s%s%.60s>: permitsim files cannot include "
                                "other files (refused for safety)",
                                prefixed ? (const char *) node->ns->prefix : "", prefixed ? ":" : "",
                                (const char *) node->name);
              st->errors++;
            }
      if (node->type == XML_ELEMENT_NODE)
        for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
          for (xmlNodePtr t = a->children; t != NULL; t = t->next)
            if (t->content != NULL)
              report_long_value (st, node, (const char *) a->name, t->content);
      if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
          && node->content != NULL && node->parent != NULL && !xmlIsBlankNode (node))
        report_long_value (st, node->parent, NULL, node->content);
      if (node->type == XML_ENTITY_REF_NODE)
        {
          psim_load_report (st->ctx, psim_xml_line (node->parent), 0, PSIM_PROBLEM_FORBIDDEN,
                            "entity references are not allowed in permitsim files");
          st->errors++;
        }
      if (node->children != NULL && node->type == XML_ELEMENT_NODE)
        {
          node = node->children;
          continue;
        }
      while (node != NULL && node != root && node->next == NULL)
        node = node->parent;
      if (node == NULL || node == root)
        break;
      node = node->next;
    }
}

/* Matches the root element against the formats; reports and returns FALSE on a mismatch. */
static gboolean
check_root (ParseState *st, xmlNodePtr root, PsimFormat *format)
{
  const char *name = (const char *) root->name;
  const char *ns = (root->ns != NULL && root->ns->href != NULL) ? (const char *) root->ns->href : NULL;
  int line = psim_xml_line (root);
  int by_name = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (strcmp (formats[i].root, name) == 0)
      by_name = (int) i;

  if (by_name < 0)
    {
      g_autofree char *q = strlen (name) > PSIM_LOADER_QUOTE_MAX
                           ? g_strdup_printf ("<%.*s...>", PSIM_LOADER_QUOTE_MAX, name)
                           : g_strdup_printf ("<%s>", name);
      if (*format != PSIM_FORMAT_UNKNOWN)
        {
          int want = format_index (*format);
          psim_load_report (st->ctx, line, 0, PSIM_PROBLEM_SCHEMA,
                            "the root element is %s: expected <%s xmlns=\"%s\">",
                            q, formats[want].root, formats[want].ns);
        }
      else
        psim_load_report (st->ctx, line, 0, PSIM_PROBLEM_SCHEMA,
                          "the root element %s is not a permitsim file: expected "
                          "<municipality>, <region>, <scenario> or <parameters>", q);
      st->errors++;
      return FALSE;
    }
  if (ns == NULL || strcmp (ns, formats[by_name].ns) != 0)
    {
      g_autofree char *qns = ns != NULL ? psim_diagnostic_quoted (ns) : NULL;
      psim_load_report (st->ctx, line, 0, PSIM_PROBLEM_SCHEMA,
                        "the root element <%s> has %s%s: expected xmlns=\"%s\"",
                        formats[by_name].root, ns != NULL ? "the namespace " : "no namespace",
                        ns != NULL ? qns : "", formats[by_name].ns);
      st->errors++;
      return FALSE;
    }
  if (*format != PSIM_FORMAT_UNKNOWN && *format != formats[by_name].format)
    {
      int want = format_index (*format);
      psim_load_report (st->ctx, line, 0, PSIM_PROBLEM_SCHEMA,
                        "this is a %s file: expected a %s file (<%s xmlns=\"%s\">)",
                        formats[by_name].root, formats[want].root, formats[want].root,
                        formats[want].ns);
      st->errors++;
      return FALSE;
    }
  *format = formats[by_name].format;
  st->ns = formats[by_name].ns;
  return TRUE;
}

/* ---------- the whole pipeline ---------- */

xmlDocPtr
psim_loader_parse (PsimLoadCtx *ctx, const char *data, gsize length, PsimFormat *format,
                   gboolean root_only)
{
  ensure_libxml ();
  ParseState st = { .ctx = ctx, .ns = psim_format_namespace (*format), .root_only = root_only };

  gsize blank = 0;
  while (blank < length && g_ascii_isspace (data[blank]))
    blank++;
  if (blank == length)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SYNTAX,
                        "the file is empty: expected an XML document");
      return NULL;
    }
  if (length > G_MAXINT)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "the file is too large");
      return NULL;
    }
  if (!psim_loader_look (ctx, data, length))
    return NULL;

  xmlParserCtxtPtr ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "out of memory while reading the file");
      return NULL;
    }
  ctxt->_private = &st;
  ctxt->sax->internalSubset = on_doctype;
  ctxt->sax->startElementNs = on_element;
  ctxt->sax->serror = on_parser_error;
  ctxt->sax->comment = NULL;               /* comments and processing instructions are */
  ctxt->sax->processingInstruction = NULL; /* checked by the parser, then dropped */

  /* errors raised without the parser context (encoding conversion) come
   * through the per-thread handler: catch them too, then put it back */
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (&st, on_error);
  xmlDocPtr doc = xmlCtxtReadMemory (ctxt, data, (int) length, ctx->path, NULL, PARSE_OPTIONS);
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  gboolean well_formed = ctxt->wellFormed && ctxt->nsWellFormed;
  xmlFreeParserCtxt (ctxt);

  if (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL) && !st.doctype)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_FORBIDDEN,
                        "the file declares a DTD: not allowed in permitsim files");
      st.errors++;
    }
  if (doc == NULL || st.errors > 0 || !well_formed)
    {
      if (st.errors == 0)
        psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SYNTAX, "not well-formed XML");
      xmlFreeDoc (doc);
      return NULL;
    }

  xmlNodePtr root = xmlDocGetRootElement (doc);
  if (root == NULL)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SYNTAX, "the file has no root element");
      xmlFreeDoc (doc);
      return NULL;
    }
  gboolean root_ok = check_root (&st, root, format);
  check_tree (&st, root);
  if (st.errors > 0 || !root_ok)
    {
      xmlFreeDoc (doc);
      return NULL;
    }
  if (root_only)
    return doc;

  int fi = format_index (*format);
  xmlSchemaPtr schema = schema_for (fi);
  if (schema == NULL)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SCHEMA,
                        "internal error: the schema %s compiled into permitsim is broken",
                        formats[fi].schema);
      xmlFreeDoc (doc);
      return NULL;
    }
  xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt (schema);
  if (vctxt == NULL)
    {
      psim_load_report (ctx, 0, 0, PSIM_PROBLEM_IO, "out of memory while validating");
      xmlFreeDoc (doc);
      return NULL;
    }
  xmlSchemaSetValidStructuredErrors (vctxt, on_error, &st);
  xmlSetStructuredErrorFunc (&st, on_error);
  int rc = xmlSchemaValidateDoc (vctxt, doc);
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  xmlSchemaFreeValidCtxt (vctxt);
  if (rc != 0 && st.errors == 0)
    psim_load_report (ctx, 0, 0, PSIM_PROBLEM_SCHEMA,
                      "the file does not follow the %s schema (libxml2 code %d)",
                      formats[fi].schema, rc);
  if (rc != 0 || st.errors > 0)
    {
      xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}
