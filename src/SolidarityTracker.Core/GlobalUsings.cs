// The namespaces most of the library's files import, once here instead of a copied block at the top of each file.
// A namespace only a corner of the library needs (Microsoft.Data.Sqlite, Npgsql, Scriban, CsvHelper) stays in the
// files that use it, so they still say what they touch.
global using System.Globalization;
global using System.Net;
global using System.Runtime.CompilerServices;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Serialization;
global using Microsoft.Extensions.Logging;
global using SolidarityTracker.Configuration;
global using SolidarityTracker.Model;
global using SolidarityTracker.Storage;
global using SolidarityTracker.Text;
global using System.Data;
global using System.Data.Common;
