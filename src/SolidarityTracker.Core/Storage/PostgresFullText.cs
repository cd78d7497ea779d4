using Npgsql;

namespace SolidarityTracker.Storage;

/// <summary>
/// An FTS5 query (what `--query`, `q` and a watch's Query take) as PostgreSQL text search over the posts' generated
/// tsvector ('simple', no stemming, over st_search_text, which splits and folds text as FTS5's unicode61 does): each
/// word or "quoted phrase" becomes a phraseto_tsquery of the same folding, so a phrase matches word after word, in any
/// case, with or without accents; a trailing * is a prefix match; AND, OR, NOT, implicit AND and parentheses keep
/// FTS5's meaning and precedence (NOT, then AND, then OR). A query FTS5 would refuse is refused with FTS5's reason
/// first, so both providers accept and refuse the same queries; NEAR and column filters are refused on PostgreSQL.
/// </summary>
public static class PostgresFullText
{
    /// <summary>The tsquery expression for <paramref name="query"/>, its texts bound as parameters on <paramref name="command"/>.</summary>
    public static string Translate(string query, DbCommand command)
    {
        if (FullTextQuery.Problem(query) is { } problem) throw FullTextQuery.Bad(query, problem);
        var parser = new Parser(Tokenize(query), command);
        var sql = parser.Or();
        if (!parser.AtEnd) throw FullTextQuery.Bad(query, "NEAR and column filters are not supported on PostgreSQL");
        return sql;
    }

    private enum Kind { Term, Prefix, And, Or, Not, Open, Close }

    private readonly record struct Token(Kind Kind, string Text = "");

    private static List<Token> Tokenize(string query)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < query.Length;)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '(') { tokens.Add(new(Kind.Open)); i++; continue; }
            if (c == ')') { tokens.Add(new(Kind.Close)); i++; continue; }
            string text;
            if (c == '"')
            {
                var phrase = new StringBuilder();
                for (i++; i < query.Length; i++)
                {
                    if (query[i] != '"') { phrase.Append(query[i]); continue; }
                    if (i + 1 < query.Length && query[i + 1] == '"') { phrase.Append('"'); i++; continue; }
                    i++;
                    break;
                }
                text = phrase.ToString();
            }
            else
            {
                var start = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] is not ('(' or ')' or '"' or '*')) i++;
                text = query[start..i];
                if (text is "AND" or "OR" or "NOT")
                {
                    tokens.Add(new(text switch { "AND" => Kind.And, "OR" => Kind.Or, _ => Kind.Not }));
                    continue;
                }
            }
            var prefix = i < query.Length && query[i] == '*';
            if (prefix) i++;
            tokens.Add(new(prefix ? Kind.Prefix : Kind.Term, text));
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens, DbCommand command)
    {
        private int _at;

        public bool AtEnd => _at >= tokens.Count;

        private Kind? Next => _at < tokens.Count ? tokens[_at].Kind : null;

        public string Or()
        {
            var left = And();
            while (Next == Kind.Or) { _at++; left = $"({left} || {And()})"; }
            return left;
        }

        private string And()
        {
            var left = Not();
            while (Next is Kind.And or Kind.Term or Kind.Prefix or Kind.Open)
            {
                if (Next == Kind.And) _at++;
                left = $"({left} && {Not()})";
            }
            return left;
        }

        private string Not()
        {
            var left = Primary();
            while (Next == Kind.Not) { _at++; left = $"({left} && !!{Primary()})"; }
            return left;
        }

        private string Primary()
        {
            var token = tokens[_at++];
            if (token.Kind == Kind.Open)
            {
                var inner = Or();
                _at++; // FTS5 already checked the parentheses balance
                return inner;
            }
            var name = $"@fts{command.Parameters.Count}";
            if (token.Kind == Kind.Term)
            {
                command.Parameters.AddWithValue(name, token.Text);
                return $"phraseto_tsquery('simple', st_search_text({name}))";
            }
            // A prefix: the phrase's words in order, the last one matched as a prefix (folded words hold only letters and digits).
            command.Parameters.AddWithValue(name, token.Text);
            return $"to_tsquery('simple', COALESCE(NULLIF(regexp_replace(btrim(st_search_text({name})), ' +', ' <-> ', 'g'), '') || ':*', ''))";
        }
    }
}
