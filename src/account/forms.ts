import { z } from 'zod';
import { editionField, licensesField, nameField } from '../auth/forms.js';

export const OrganizationNameForm = z.object({ organizationName: nameField('Enter your organization name') });

export const SubscriptionForm = z.object({ edition: editionField, readWriteLicenses: licensesField });
