using SolidarityTracker.Classification;
using SolidarityTracker.Model;

namespace SolidarityTracker.Tests.Classification;

/// <summary>The classifier against the examples, hard negatives and decided borderline cases of LABELS.md.</summary>
public sealed class LexiconClassifierTests
{
    private static readonly LexiconClassifier Classifier = new();

    private static string[] LabelsOf(string text) => Classifier.Classify(text).Labels.ToArray();

    [Theory]
    [InlineData("Our thoughts and prayers are with @BRPD and the families of the fallen.")]
    [InlineData("We stand with our brothers and sisters in Dallas.")]
    [InlineData("Hamden PD sends our deepest condolences to Baton Rouge.")]
    [InlineData("Praying for Baton Rouge 🙏💙")]
    [InlineData("Nuestras condolencias a la familia del oficial.")]
    public void The_condolence_examples_of_LABELS_md_are_condolence(string text) =>
        Assert.Equal([Labels.Condolence], LabelsOf(text));

    [Theory]
    [InlineData("Our badge wears a mourning band in honor of the officers killed in Baton Rouge.")]
    [InlineData("Sgt. Jane Doe, EOW 7/17/2016. Never forgotten.")]
    [InlineData("Procession route for Officer X: expect delays on Rte 9.")]
    public void The_memorial_examples_of_LABELS_md_are_memorial_only(string text) =>
        Assert.Equal([Labels.Memorial], LabelsOf(text));

    [Theory]
    [InlineData("Please contact police if you see anything out of place.")]
    [InlineData("Reminder: lock your cars and take your valuables inside.")]
    [InlineData("IRS scam calls are back. Hang up.")]
    [InlineData("Avoid the area of Main St.")]
    [InlineData("The suspect is considered dangerous. Do not approach him; call 911.")]
    public void The_safety_reminder_examples_of_LABELS_md_are_safety_reminders(string text) =>
        Assert.Equal([Labels.SafetyReminder], LabelsOf(text));

    [Fact]
    public void The_several_at_once_example_carries_all_three_labels()
    {
        var result = Classifier.Classify("Officers now wear mourning bands for the fallen in Baton Rouge; our prayers are with their families. Stay vigilant and report anything suspicious.");
        Assert.Equal([Labels.Condolence, Labels.Memorial, Labels.SafetyReminder], result.Labels);
        Assert.All(Labels.All, label => Assert.True(result.Score(label) >= 0.5, $"{label} {result.Score(label)}"));
    }

    [Theory]
    [InlineData("Thank you for the cards and coffee!")]
    [InlineData("We are overwhelmed by the support from our community. Thank you for the meals, the cards and the coffee!")]
    [InlineData("Thank you for keeping our officers in your prayers during this difficult week. It means so much.")]
    [InlineData("Three officers were killed and three wounded in Baton Rouge this morning, according to officials.")]
    [InlineData("Memorial Day SALE at the Police Athletic League thrift store! 30% off everything this weekend.")]
    [InlineData("Memorial Drive is closed between 4th and 9th Street for water main repairs.")]
    [InlineData("Join us Friday to celebrate Lt. Perez's retirement party at the VFW. 30 years!")]
    [InlineData("Officers arrested a 34-year-old man for DUI after he crashed into a utility pole on Oak Ave.")]
    [InlineData("NOW HIRING: Police Officer, starting pay $62,000. Apply by June 30. #NowHiring")]
    [InlineData("MISSING: 14-year-old Ava Morales was last seen Tuesday near Lincoln Middle School. If you have information, call 555-0199.")]
    [InlineData("Do you recognize this man? Detectives want to speak with him about a theft. Call 555-0134 with information.")]
    [InlineData("Stay safe out there, brothers and sisters. 💙")]
    [InlineData("Be careful out there tonight, officers. Watch each other's backs.")]
    [InlineData("Join us for our Police Week Open House on Saturday! Tour the station, meet our K9s, and enjoy free hot dogs.")]
    [InlineData("Reminder: The Memorial Day parade steps off at 10 AM from the high school. Route map: https://city.example/parade")]
    public void Hard_negatives_get_no_label(string text) => Assert.Empty(LabelsOf(text));

    [Fact]
    public void An_agency_announcing_its_own_loss_is_memorial_and_condolence_only_when_it_speaks_to_the_family()
    {
        Assert.Equal([Labels.Memorial], LabelsOf("With heavy hearts we announce the death of Officer Daniel Brooks, who was killed in the line of duty on Tuesday night."));
        Assert.Equal([Labels.Condolence, Labels.Memorial],
            LabelsOf("With heavy hearts we announce the death of Officer Daniel Brooks. Please keep his wife and children in your prayers."));
    }

    [Fact]
    public void Support_to_a_peer_with_a_mourning_emoji_is_condolence()
    {
        var result = Classifier.Classify("@OakmontPD we are with you tonight 🖤💙");
        Assert.Equal([Labels.Condolence], result.Labels);
        Assert.Equal([Labels.Condolence], LabelsOf("@RiversidePD 💙🖤💙"));
        Assert.Empty(LabelsOf("💙"));
    }

    [Fact]
    public void A_procession_notice_is_memorial_and_a_safety_reminder_only_when_it_asks_drivers_to_act()
    {
        Assert.Equal([Labels.Memorial], LabelsOf("Procession for Deputy Moreno will leave St. Anne's at 11am and travel Hwy 44 to Oak Hill Cemetery. Expect delays."));
        Assert.Equal([Labels.Memorial, Labels.SafetyReminder], LabelsOf("The funeral procession for Officer Brooks will travel Route 30 from 12:30 to 2 PM. Please use alternate routes."));
        Assert.Equal([Labels.Memorial, Labels.SafetyReminder], LabelsOf("Procession for Deputy Moreno begins at 11am on Hwy 44. Avoid the area if possible."));
        Assert.Equal([Labels.Memorial, Labels.SafetyReminder], LabelsOf("Procession for K9 Dash leaves HQ at 10 AM. Please pull over as the procession passes. 🐾"));
    }

    [Fact]
    public void A_Memorial_Day_parade_with_a_remembrance_is_memorial_and_without_one_is_not()
    {
        Assert.Empty(LabelsOf("Get ready for the Memorial Day parade! Kids, bring your flags! 🇺🇸"));
        Assert.Equal([Labels.Memorial], LabelsOf("Memorial Day ceremony at the Veterans Memorial after the parade. We honor those who gave their lives. 🇺🇸"));
    }

    [Theory]
    [InlineData("Descanse en paz, oficial Luis Ramírez. Nuestro más sentido pésame a su familia y compañeros. #EOW", new[] { Labels.Condolence, Labels.Memorial })]
    [InlineData("El cortejo fúnebre del agente Castillo pasará por la Avenida Central a las 14:00. Eviten la zona y utilicen rutas alternas.", new[] { Labels.Memorial, Labels.SafetyReminder })]
    [InlineData("¡ALERTA DE ESTAFA! Personas llaman haciéndose pasar por agentes y piden tarjetas de regalo. Cuelgue y llame al 911.", new[] { Labels.SafetyReminder })]
    [InlineData("Nuestros pensamientos y oraciones están con los oficiales heridos y sus familias.", new[] { Labels.Condolence })]
    [InlineData("Detenido un hombre de 28 años por robo con violencia en el centro de la ciudad.", new string[0])]
    [InlineData("Toutes nos condoléances à la famille et aux proches du gendarme. 💙", new[] { Labels.Condolence })]
    [InlineData("Les drapeaux sont en berne aujourd'hui en hommage à l'agent Tremblay.", new[] { Labels.Memorial })]
    [InlineData("Soyez vigilants et signalez tout comportement suspect au 911.", new[] { Labels.SafetyReminder })]
    [InlineData("Le SPVM recrute! Déposez votre candidature avant le 15 mai.", new string[0])]
    [InlineData("Merci aux citoyens pour votre soutien et vos messages cette semaine. 💙", new string[0])]
    public void Spanish_and_French_posts_are_labelled_like_English_ones(string text, string[] expected) =>
        Assert.Equal(expected, LabelsOf(text));

    [Fact]
    public void Evidence_names_the_phrases_that_fired_per_label()
    {
        var result = Classifier.Classify("Our badge wears a mourning band for Officer Brooks. Our thoughts and prayers are with his family. Please lock your cars.");
        Assert.Contains(result.Evidence, e => e.Label == Labels.Memorial && e.Phrase == "mourning band" && e.Weight > 0);
        Assert.Contains(result.Evidence, e => e.Label == Labels.Condolence && e.Phrase == "thoughts and prayers" && e.Weight > 0);
        Assert.Contains(result.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "lock your cars");
    }

    [Fact]
    public void A_hard_negative_phrase_shows_in_the_evidence_with_a_negative_weight()
    {
        var result = Classifier.Classify("Memorial Day SALE this weekend!");
        Assert.Contains(result.Evidence, e => e.Label == Labels.Memorial && e.Phrase == "Memorial Day SALE" && e.Weight < 0);
        Assert.Empty(result.Labels);
    }

    [Theory]
    [InlineData("#EOW Deputy Marcus Hale, Lake County Sheriff's Office.")]
    [InlineData("Deputy Hale, gone 25 years. #NeverForget")]
    [InlineData("Deputy Hale, gone 25 years. #NEVERFORGET")]
    [InlineData("Deputy Hale, gone 25 years. #neverforget")]
    [InlineData("REST IN PEACE TROOPER ALLEN. END OF WATCH. 🖤")]
    [InlineData("🕯️ We light a candle for every officer who never came home.")]
    public void Hashtags_capitals_and_emoji_are_read(string text) =>
        Assert.Contains(Labels.Memorial, LabelsOf(text));

    [Theory]
    [InlineData("Thoughts and prayres with the officers wounded in Pinecrest tonite.")]
    [InlineData("Deepest condolances to the family of Trooper Allen.")]
    [InlineData("our hearts go out to the famly of officer jones. pls keep them in ur prayers")]
    public void Common_typos_still_read_as_condolence(string text) =>
        Assert.Equal([Labels.Condolence], LabelsOf(text));

    [Theory]
    [InlineData("Our JV team is playing for the county title tonight. Come cheer them on!")]          // not "praying for"
    [InlineData("To every officer heading out on second shift: come home safe tonight. 💙")]         // not "healing"
    [InlineData("Hearing on the new substation budget Tuesday at city hall.")]                        // not "healing"
    [InlineData("The records office moved to the second floor.")]                                    // not "officer"
    public void A_real_word_one_letter_from_a_lexicon_word_is_not_read_as_its_typo(string text) =>
        Assert.Empty(LabelsOf(text));

    [Fact]
    public void Negation_cancels_a_safety_phrase()
    {
        Assert.Empty(LabelsOf("There is no threat to the public and no need to avoid the area."));
        Assert.Empty(LabelsOf("This is NOT a scam — the county really is sending property tax reminders this month."));
        Assert.Equal([Labels.SafetyReminder], LabelsOf("Police activity on Elm St. Please avoid the area."));
    }

    [Fact]
    public void A_negated_phrase_shows_in_the_evidence_at_weight_zero_and_a_new_clause_ends_the_negation()
    {
        var negated = Classifier.Classify("We are not asking anyone to avoid the area.");
        Assert.Empty(negated.Labels);
        Assert.Contains(negated.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "not: avoid the area" && e.Weight == 0);

        var clause = Classifier.Classify("A fake account is asking people for money. Do not send money and report the account.");
        Assert.Equal([Labels.SafetyReminder], clause.Labels);
        Assert.Contains(clause.Evidence, e => e.Phrase == "report the account" && e.Weight > 0);
    }

    [Fact]
    public void A_reminder_is_recognised_by_its_shape_an_instruction_addressed_to_the_public()
    {
        var result = Classifier.Classify("Cyclists: wear bright colors after dark. Drivers: slow down near the trail.");
        Assert.Contains(Labels.SafetyReminder, result.Labels);
        Assert.Contains(result.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "addressed to \"cyclists\"");
        Assert.Contains(result.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "sentence opens with \"slow\"");
        // Two instructions make a reminder whatever their wording; one alone, with nothing about safety, does not.
        Assert.Equal([Labels.SafetyReminder], LabelsOf("Trick-or-treaters will be out from 5 to 8. Slow down in neighborhoods and turn on your lights."));
        // An instruction alone, with nothing about safety, is not enough.
        Assert.Empty(LabelsOf("Stop by HQ Saturday and tour the new station."));
        Assert.Empty(LabelsOf("Drop off your toys in our lobby through Dec 15."));
    }

    [Fact]
    public void An_instruction_after_a_condition_counts_as_the_sentence_s_instruction()
    {
        var result = Classifier.Classify("When you drive through a school zone, slow down and check for kids.");
        Assert.Contains(result.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "sentence opens with \"slow\"");
        var spanish = Classifier.Classify("Si toman, no guíen.");
        Assert.Contains(spanish.Evidence, e => e.Label == Labels.SafetyReminder && e.Phrase == "sentence opens with \"guien\"");
        // A verb with its subject named before it is the condition itself, not an instruction.
        var condition = Classifier.Classify("If you lock your bike at the rack, it stays there overnight.");
        Assert.DoesNotContain(condition.Evidence, e => e.Phrase.StartsWith("sentence opens with", StringComparison.Ordinal));
    }

    [Fact]
    public void The_period_of_a_rank_or_an_initial_does_not_break_a_phrase()
    {
        Assert.Equal([Labels.Condolence], LabelsOf("Please keep Sgt. Haddad's family in your prayers."));
        Assert.Contains(Labels.Memorial, LabelsOf("Today we joined hundreds of officers to lay Sgt. O. Haddad to rest."));
    }

    [Fact]
    public void Urls_and_handles_are_not_read_as_words()
    {
        // "funeral" and "scam" only appear inside the link and the handle.
        Assert.Empty(LabelsOf("New schedule for the lobby: https://city.example/funeral-scam-vigil @ScamFuneralVigil"));
    }

    [Fact]
    public void A_repost_of_a_memorial_post_is_a_memorial_post()
    {
        Assert.Contains(Labels.Memorial, LabelsOf("RT @ODMP: Officer Dane Whitaker, Crestview Police Department, EOW Monday, March 4, 2024. Cause: Gunfire."));
    }

    [Fact]
    public void Scores_are_between_0_and_1_for_every_label_and_labels_follow_them()
    {
        foreach (var text in new[] { "", "   ", "💙", "Avoid the area.", "RIP", new string('a', 10_000), "#" + new string('A', 300) })
        {
            var result = Classifier.Classify(text);
            Assert.Equal(3, result.Scores.Count);
            foreach (var label in Labels.All)
            {
                Assert.InRange(result.Score(label), 0.0, 1.0);
                Assert.Equal(result.Score(label) >= 0.5, result.Has(label));
            }
            Assert.Equal(Classifier.Version, result.ClassifierVersion);
        }
    }

    [Fact]
    public void The_classifier_gives_the_same_answers_from_many_threads()
    {
        var texts = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "labels", "train.jsonl")).Take(200)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!).ToArray();
        var expected = texts.Select(t => string.Join(",", Classifier.Classify(t).Labels)).ToArray();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < texts.Length; i++) Assert.Equal(expected[i], string.Join(",", Classifier.Classify(texts[i]).Labels));
        });
    }

    [Fact]
    public void The_version_names_the_lexicon_it_was_built_from()
    {
        Assert.StartsWith("lexicon-2.", Classifier.Version);
        var changed = new LexiconClassifier(Lexicon.Parse(Lexicon.ReadEmbedded("lexicon.txt") + "\n3.0 a phrase added later\n", "test"));
        Assert.NotEqual(Classifier.Version, changed.Version);
    }
}
