// The namespaces most of the host's files import (the CLI commands, the benchmarks, the worker and the web), once here
// instead of a copied block at the top of each file. Quartz, Serilog and ASP.NET Core stay in the files that use them.
global using System.CommandLine;
global using System.Diagnostics;
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
global using SolidarityTracker.Classification;
global using SolidarityTracker.Cli;
global using SolidarityTracker.Configuration;
global using SolidarityTracker.Digests;
global using SolidarityTracker.Export;
global using SolidarityTracker.Model;
global using SolidarityTracker.Polling;
global using SolidarityTracker.Storage;
global using System.Data;
global using System.Data.Common;
